using System;
using System.Threading;
using System.Threading.Tasks;

namespace IcaPowerShell.Core.Http
{
    /// <summary>How the token client talks to ICA. The defaults mirror icav2's behaviour.</summary>
    public sealed class IcaHttpOptions
    {
        /// <summary>How long one attempt may take before it is abandoned.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Attempts in all, the first included.</summary>
        public int MaxAttempts { get; set; } = 3;

        /// <summary>False with $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING=1, as in icav2.</summary>
        public bool RetryEnabled { get; set; } = true;

        /// <summary>The first backoff; each retry doubles it, with ±50% jitter.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>A Retry-After longer than this is not waited for: the call fails and says when to try again.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>-Proxy/-ProxyCredential, or null for the environment's or the system's proxy.</summary>
        public ProxySelection? Proxy { get; set; }

        /// <summary>Waits between attempts. Tests replace it to record the delays instead of sleeping.</summary>
        public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

        /// <summary>The session's secrets, for cutting them from everything written; shared by every call's copy.</summary>
        public SecretRegistry Secrets { get; set; } = new SecretRegistry();

        /// <summary>The largest answer read whole into memory (-OutFile streams, without a limit); $env:ICAPOWERSHELL_MAX_RESPONSE_MB sets it.</summary>
        public long MaxResponseBytes { get; set; } = DefaultMaxResponseMegabytes * 1024L * 1024L;

        public const string MaxResponseVariable = "ICAPOWERSHELL_MAX_RESPONSE_MB";

        public const int DefaultMaxResponseMegabytes = 256;

        /// <summary>Receives the engine's diagnostics (one line per attempt and retry, with no secret in it) instead of the running cmdlet's verbose stream: for tests.</summary>
        public Action<string>? Verbose { get; set; }

        /// <summary>The one route of the engine's diagnostics: <see cref="Verbose"/> when set, else the running cmdlet's verbose stream.</summary>
        public void Log(string line)
        {
            if (Verbose != null)
            {
                Verbose(line);
            }
            else
            {
                Diagnostics.EngineLog.Verbose(line);
            }
        }

        /// <summary>
        /// The one place a call's HTTP settings are taken from the process: the proxy (the call's own,
        /// else the environment's) and $env:ICAV2_ICA_NO_RETRY_RATE_LIMITING, read at each call as
        /// icav2 reads it, so a script can set it between calls.
        /// </summary>
        public IcaHttpOptions ForCall(Configuration.IEnvironment environment, ProxySelection? proxy, Action<string>? verbose)
        {
            var call = With(proxy ?? ProxySelection.FromEnvironment(environment), verbose);
            Secrets.Add(call.Proxy?.Password);
            if (environment.Get(MaxResponseVariable) is string limit && limit.Trim().Length > 0)
            {
                // A limit the user set and we cannot read must not be silently replaced by ours.
                call.MaxResponseBytes = long.TryParse(limit.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var megabytes) && megabytes > 0 && megabytes <= 1024 * 1024
                    ? megabytes * 1024L * 1024L
                    : throw new Errors.IcaException(
                        Errors.ErrorIds.InvalidSetting,
                        Errors.IcaErrorKind.InvalidArgument,
                        $"$env:{MaxResponseVariable} is '{Errors.Shown.Value(limit, 40)}', not a number of megabytes. Set it to a whole number such as 512, or remove it for the default ({DefaultMaxResponseMegabytes}).",
                        MaxResponseVariable);
            }

            if (Configuration.Switches.IsOn(environment.Get(Configuration.EnvironmentVariables.NoRetryRateLimiting), whenUnset: false))
            {
                call.RetryEnabled = false;
            }

            return call;
        }

        /// <summary>A copy for one call, with that call's proxy and diagnostics.</summary>
        public IcaHttpOptions With(ProxySelection? proxy, Action<string>? verbose) => new IcaHttpOptions
        {
            Timeout = Timeout,
            MaxAttempts = MaxAttempts,
            RetryEnabled = RetryEnabled,
            BaseDelay = BaseDelay,
            MaxRetryAfter = MaxRetryAfter,
            Proxy = proxy,
            Delay = Delay,
            Verbose = verbose ?? Verbose,
            Secrets = Secrets,
            MaxResponseBytes = MaxResponseBytes,
        };
    }
}
