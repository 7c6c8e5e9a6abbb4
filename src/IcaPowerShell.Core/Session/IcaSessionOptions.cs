using System;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Http;

namespace IcaPowerShell.Core.Session
{
    public sealed class IcaSessionOptions
    {
        public IEnvironment Environment { get; set; } = ProcessEnvironment.Instance;

        public IClock Clock { get; set; } = SystemClock.Instance;

        /// <summary>The home folder for the default profile path; null when the account has none.</summary>
        public Func<string?> HomeFolder { get; set; } = () => ProfileLocationHome();

        /// <summary>The template for each call's HTTP options.</summary>
        public IcaHttpOptions Http { get; set; } = new IcaHttpOptions();

        /// <summary>Tests on Windows turn DPAPI off to exercise the key-file scheme.</summary>
        public bool AllowDpapi { get; set; } = true;

        /// <summary>How long a writer waits for another writer of the same profile file.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>How long a process waits for another one that is minting the same profile's token before it mints itself.</summary>
        public TimeSpan KeptTokenWait { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Renew this long before exp; null for the default, the smaller of 5 minutes and a tenth of the lifetime.</summary>
        public TimeSpan? RefreshMargin { get; set; }

        private static string? ProfileLocationHome() => Profiles.ProfileLocation.CurrentHomeFolder(ProcessEnvironment.Instance);
    }
}
