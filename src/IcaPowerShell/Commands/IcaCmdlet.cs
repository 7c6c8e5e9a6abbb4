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
        private ConcurrentQueue<object>? lines;
        private AutoResetEvent? lineArrived;
        private CancellationTokenSource? stopping;
        private bool? verboseShown;

        /// <summary>
        /// The runspace's session. Its context (Set-IcaContext) lives as long as this variable holds it:
        /// ForEach-Object -Parallel reuses runspaces and resets their variables between items, and the
        /// context must go with them rather than leak into the next item, which never set it.
        /// </summary>
        internal IcaSession Session
        {
            get
            {
                var session = SessionRegistry.Current;
                if (!ReferenceEquals(session.Context, IcaContextChoice.None) && !ReplacesContext)
                {
                    var variable = SessionState.PSVariable.Get(ContextVariable);
                    if (variable == null)
                    {
                        // Removed: the runspace was reset (-Parallel) or Remove-Variable was asked for.
                        session.SetContext(IcaContextChoice.None);
                    }
                    else if (!ReferenceEquals(variable.Value, session.Context))
                    {
                        // Replaced by hand (even with $null): a call that would use the context stops (see IcaSession.WithContext).
                        session.MarkContextReplaced("$" + ContextVariable.Substring("global:".Length));
                    }
                }

                return session;
            }
        }

        /// <summary>Set- and Clear-IcaContext replace the context whatever the variable holds now.</summary>
        protected virtual bool ReplacesContext => false;

        /// <summary>The global variable that holds this runspace's context; see <see cref="Session"/>.</summary>
        internal const string ContextVariable = "global:IcaPowerShellContext";

        /// <summary>Sets the runspace's context, and the variable that ties it to the runspace's state.</summary>
        internal void SetContext(IcaContextChoice choice)
        {
            var session = SessionRegistry.Current;
            session.SetContext(choice);
            SessionState.PSVariable.Set(ContextVariable, choice);
        }

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

        /// <summary>Called in BeginProcessing, when only the command line's parameters are bound.</summary>
        protected void RefuseEmptyOnCommandLine(string parameter, string errorId, string remedy)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var value) && string.IsNullOrWhiteSpace(value as string))
            {
                ThrowTerminatingError(ErrorMapping.ToErrorRecord(new IcaException(
                    errorId,
                    IcaErrorKind.InvalidArgument,
                    $"-{parameter} is empty (an unset variable?), so nothing was done: {remedy}.",
                    parameter)));
            }
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

        /// <summary>A progress record from any thread, written on the pipeline thread like the verbose lines.</summary>
        internal void EnqueueProgress(ProgressRecord record) => Enqueue(record);

        // Any thread; a line is cleaned when it is written, on the pipeline thread, where Session is this runspace's.
        private void Enqueue(bool isWarning, string line) => Enqueue(new KeyValuePair<bool, string>(isWarning, line));

        private void Enqueue(object output)
        {
            LazyInitializer.EnsureInitialized(ref lines)!.Enqueue(output);
            Volatile.Read(ref lineArrived)?.Set();
        }

        /// <summary>
        /// Waits for TASK on the pipeline thread, writing the engine's verbose lines and warnings
        /// as they arrive (a retry's "429 ..." and "Retrying in 3 s" show before the wait ends),
        /// instead of blocking until the end and flushing them all at once.
        /// </summary>
        protected T Wait<T>(System.Threading.Tasks.Task<T> task)
        {
            if (task.IsCompleted)
            {
                // The warm path (a cached token): no wait handle to make, nothing to wait for.
                FlushVerbose();
                return task.GetAwaiter().GetResult();
            }

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

        /// <summary>
        /// A verbose line. With -Debug and without -Verbose, PowerShell asks "Continue with this
        /// operation?" before every verbose line and warning of a compiled cmdlet, which fails a
        /// -NonInteractive run (after the request was sent); there the line goes to the debug
        /// stream, which -Debug shows without asking.
        /// </summary>
        public new void WriteVerbose(string text)
        {
            if (DebugWouldAsk("Verbose"))
            {
                WriteDebug(text);
            }
            else
            {
                base.WriteVerbose(text);
            }
        }

        /// <summary>A warning; with -Debug and without -WarningAction, a debug line that says it is one (see <see cref="WriteVerbose"/>).</summary>
        public new void WriteWarning(string text)
        {
            if (DebugWouldAsk("WarningAction"))
            {
                WriteDebug("WARNING: " + text);
            }
            else
            {
                base.WriteWarning(text);
            }
        }

        /// <summary>Whether a verbose line reaches anyone: -Verbose, -Debug, or $VerbosePreference; read once per command.</summary>
        private bool VerboseShown => verboseShown ??=
            MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose) ? LanguagePrimitives.IsTrue(verbose)
            : DebugWouldAsk("Verbose")
            || !(LanguagePrimitives.TryConvertTo<ActionPreference>(GetVariableValue("VerbosePreference"), out var preference) && (preference == ActionPreference.SilentlyContinue || preference == ActionPreference.Ignore));

        private bool DebugWouldAsk(string overriding) =>
            MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && LanguagePrimitives.IsTrue(debug) && !MyInvocation.BoundParameters.ContainsKey(overriding);

        protected void FlushVerbose()
        {
            while (lines != null && lines.TryDequeue(out var output))
            {
                if (output is ProgressRecord progress)
                {
                    WriteProgress(progress);
                    continue;
                }

                var line = (KeyValuePair<bool, string>)output;
                if (!line.Key && !VerboseShown)
                {
                    continue;   // nobody sees it: not worth the cleaning, which grows with every secret the session holds
                }

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

        /// <summary>
        /// Why nobody can answer a prompt here, in words for an error message; null when someone
        /// can. See <see cref="Interactivity"/>; the host has the last word: a runspace without a
        /// host of its own (Default Host) or a remote one cannot ask, and a console whose standard
        /// input is redirected would read the answer from a pipe or a closed stream, not a person.
        /// </summary>
        protected string? WhyNonInteractive()
        {
            if (Host?.UI == null || Host.Name == "ServerRemoteHost" || Host.Name == "Default Host")
            {
                return $"the PowerShell host '{Host?.Name}' cannot prompt";
            }

            if (!Interactivity.IsInteractive(Environment.GetCommandLineArgs(), ProcessEnvironment.Instance, Environment.UserInteractive))
            {
                return "this session is non-interactive";
            }

            return Host.Name == "ConsoleHost" && Console.IsInputRedirected ? "standard input is not a terminal" : null;
        }

        /// <summary>
        /// ShouldProcess that never prompts where nobody can answer: when it would ask and no one
        /// can (-NonInteractive, CI, redirected input, a host that cannot prompt), it fails with
        /// IcaConfirmationRequired, naming -Force or -Confirm:$false, before anything is written.
        /// </summary>
        protected bool ShouldProcessWithoutHanging(string target, string action, ConfirmImpact impact, string howToSkip)
        {
            if (WouldConfirm(impact) && WhyNonInteractive() is string why)
            {
                throw ConfirmationRequired(target, action, why, howToSkip, null);
            }

            try
            {
                return ShouldProcess(target, action);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is NullReferenceException)
            {
                throw ConfirmationRequired(target, action, $"the PowerShell host '{Host?.Name}' cannot prompt", howToSkip, ex);
            }
        }

        /// <summary>Whether ShouldProcess would ask: -Confirm, or an impact at or above $ConfirmPreference, and no -WhatIf.</summary>
        private bool WouldConfirm(ConfirmImpact impact)
        {
            var bound = MyInvocation.BoundParameters;
            if (bound.TryGetValue("WhatIf", out var whatIf) ? LanguagePrimitives.IsTrue(whatIf) : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")))
            {
                return false;
            }

            if (bound.TryGetValue("Confirm", out var confirm))
            {
                return LanguagePrimitives.IsTrue(confirm);
            }

            var preference = ConfirmImpact.High;
            try
            {
                preference = LanguagePrimitives.ConvertTo<ConfirmImpact>(SessionState.PSVariable.GetValue("ConfirmPreference") ?? ConfirmImpact.High);
            }
            catch (PSInvalidCastException)
            {
                // An unusable $ConfirmPreference: PowerShell's own default.
            }

            return preference != ConfirmImpact.None && impact >= preference;
        }

        private static IcaException ConfirmationRequired(string target, string action, string why, string howToSkip, Exception? inner) => new IcaException(
            ErrorIds.ConfirmationRequired,
            IcaErrorKind.InvalidOperation,
            $"{action} {target} needs a confirmation, and {why}, so nobody can give it. {howToSkip}, or -WhatIf to see what would change.",
            target,
            inner);
    }
}
