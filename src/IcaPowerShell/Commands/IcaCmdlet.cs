using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Threading;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Diagnostics;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Hosting;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// What every IcaPowerShell cmdlet shares: the runspace's session, engine errors as
    /// ErrorRecords, and verbose lines from any thread written on the pipeline thread.
    /// </summary>
    public abstract class IcaCmdlet : PSCmdlet
    {
        // Made on first use: a warm Get-IcaToken needs neither, and should cost what any cmdlet costs.
        private ConcurrentQueue<KeyValuePair<bool, string>>? lines;
        private AutoResetEvent? lineArrived;
        private CancellationTokenSource? stopping;

        internal IcaSession Session => SessionRegistry.Current;

        /// <summary>The profile file the cmdlet was given (resolved by the provider); null for the default.</summary>
        protected virtual string? ProfilePath => null;

        /// <summary>Cancelled when the user presses Ctrl+C.</summary>
        protected CancellationToken CancelOnStop => LazyInitializer.EnsureInitialized(ref stopping)!.Token;

        /// <summary>A sink the engine may call from any thread.</summary>
        protected Action<string> Verbose => line => Enqueue(isWarning: false, line);

        /// <summary>The profile named by -Profile, else $env:ICAV2_PROFILE, else 'default'.</summary>
        protected static string CurrentProfileName(string? bound) =>
            bound
            ?? (ProcessEnvironment.Instance.Get(EnvironmentVariables.Profile) is string fromEnvironment
                ? Core.Profiles.ProfileName.Validate(fromEnvironment, EnvironmentVariables.Profile)
                : Core.Profiles.ProfileName.Default);

        protected override void StopProcessing() => LazyInitializer.EnsureInitialized(ref stopping)!.Cancel();

        protected override void EndProcessing()
        {
            FlushVerbose();
            stopping?.Dispose();
        }

        /// <summary>Runs engine code; its errors become terminating ErrorRecords with their stable ids.</summary>
        protected void Run(Action action)
        {
            try
            {
                using (EngineLog.Use(Verbose, line => Enqueue(isWarning: true, line)))
                {
                    action();
                }
            }
            catch (IcaException ex)
            {
                FlushVerbose();
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(ex));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // A file the engine did not expect to fail (a folder removed underneath it, a disk
                // full): still a stable id, and the OS's message, which names the file.
                FlushVerbose();
                ThrowTerminatingError(ErrorMapping.FileAccessFailed(ex, ProfilePath));
            }

            FlushVerbose();
        }

        /// <summary>Reports an engine error and lets the pipeline go on with its next input.</summary>
        protected void WriteIcaError(IcaException exception)
        {
            FlushVerbose();
            WriteError(ErrorMapping.ToErrorRecord(exception));
        }

        // Any thread; the line is cleaned when it is written, on the pipeline thread, where Session is this runspace's.
        private void Enqueue(bool isWarning, string line)
        {
            LazyInitializer.EnsureInitialized(ref lines)!.Enqueue(new KeyValuePair<bool, string>(isWarning, line));
            Volatile.Read(ref lineArrived)?.Set();
        }

        /// <summary>
        /// Waits for TASK on the pipeline thread, writing the engine's verbose lines and warnings
        /// as they arrive (a retry's "429 ..." and "Retrying in 3 s" show before the wait ends),
        /// instead of blocking until the end and flushing them all at once.
        /// </summary>
        protected T Wait<T>(System.Threading.Tasks.Task<T> task)
        {
            var arrived = LazyInitializer.EnsureInitialized(ref lineArrived, () => new AutoResetEvent(false))!;
            FlushVerbose();   // lines queued before the event existed
            var done = ((IAsyncResult)task).AsyncWaitHandle;
            while (WaitHandle.WaitAny(new WaitHandle[] { done, arrived }) != 0)
            {
                FlushVerbose();
            }

            FlushVerbose();
            return task.GetAwaiter().GetResult();
        }

        protected void FlushVerbose()
        {
            while (lines != null && lines.TryDequeue(out var line))
            {
                // The session's one cleaning: JWTs and the secrets it has sent cut, control characters escaped.
                var text = Session.Options.Http.Secrets.Clean(line.Value);
                if (line.Key)
                {
                    WriteWarning(text);
                }
                else
                {
                    WriteVerbose(text);
                }
            }
        }

        /// <summary>Whether a prompt could be answered here; see <see cref="Interactivity"/>.</summary>
        protected bool HostIsInteractive() =>
            Host?.UI != null
            && Host.Name != "ServerRemoteHost"
            && Interactivity.IsInteractive(Environment.GetCommandLineArgs(), ProcessEnvironment.Instance, Environment.UserInteractive);
    }
}
