using System;
using System.Reflection;

namespace OtherModule
{
    /// <summary>
    /// Another binary module's code, as Windows PowerShell 5.1 would load it beside ours: it uses
    /// YamlDotNet, DiagnosticSource and System.Memory, in versions other than ours, and says which
    /// copy each of its binds got.
    /// </summary>
    public static class Probe
    {
        public static string[] Describe()
        {
            var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(new { other = 1 });
            using (var listener = new System.Diagnostics.DiagnosticListener("OtherModule"))
            {
                listener.IsEnabled();
            }

            var span = new ReadOnlySpan<byte>(new byte[] { 1, 2, 3 });
            return new[]
            {
                Line(typeof(YamlDotNet.Serialization.SerializerBuilder).Assembly) + (yaml.Contains("other") ? string.Empty : " (serialised nothing)"),
                Line(typeof(System.Diagnostics.DiagnosticListener).Assembly),
                Line(typeof(System.Buffers.MemoryPool<byte>).Assembly) + (span.Length == 3 ? string.Empty : " (bad span)"),
            };
        }

        private static string Line(Assembly assembly) => $"{assembly.GetName().Name}|{assembly.GetName().Version}|{assembly.Location}";
    }
}
