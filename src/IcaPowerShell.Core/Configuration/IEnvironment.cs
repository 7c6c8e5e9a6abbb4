using System;

namespace IcaPowerShell.Core.Configuration
{
    /// <summary>
    /// Read access to environment variables. Tests pass their own values instead of changing the
    /// process environment, which would leak between tests running in parallel.
    /// </summary>
    public interface IEnvironment
    {
        string? Get(string name);
    }

    public sealed class ProcessEnvironment : IEnvironment
    {
        public static readonly ProcessEnvironment Instance = new ProcessEnvironment();

        private ProcessEnvironment()
        {
        }

        public string? Get(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrEmpty(value) ? null : value;
        }
    }
}
