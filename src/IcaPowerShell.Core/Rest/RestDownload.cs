using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// Streams an answer's body to -OutFile without holding it in memory, and without leaving a
    /// torn file: the bytes go to a temp file beside the target, which takes the target's name
    /// only when the whole body has arrived. A connection that breaks, or sends nothing for the
    /// timeout, leaves the target as it was. A device or FIFO is written into directly.
    /// </summary>
    public static class RestDownload
    {
        // ".ica<pid>-<random>.part": short (a long target name must not push the temp name over
        // MAX_PATH), and it says which process wrote it, so a later download can tell a temp file
        // whose writer was killed (SIGKILL) from one being written now.
        private static readonly Regex TempName = new Regex(@"^\.ica(?<pid>[0-9a-f]{1,8})-[0-9a-f]{6}\.part$", RegexOptions.CultureInvariant);

        private static readonly ConcurrentDictionary<string, byte> Writing = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);

        // Kept alive for the life of the process: disposing it would unregister the handler.
        private static readonly object? TermHandler;

        static RestDownload()
        {
            // An exit mid-download (Environment.Exit, the end of the host) and SIGTERM take the partial file with them.
            AppDomain.CurrentDomain.ProcessExit += (_, __) => RemoveWriting();
            TermHandler = OnSigterm(RemoveWriting);
        }

        private static void RemoveWriting()
        {
            foreach (var temp in Writing.Keys)
            {
                TryDelete(temp);
            }
        }

        /// <summary>
        /// Runs CLEANUP when the process gets SIGTERM, before the runtime ends it. PosixSignalRegistration
        /// exists from .NET 6 (PowerShell 7); this netstandard2.0 engine finds it by reflection, and on
        /// the .NET Framework (Windows PowerShell 5.1), where there is none, does nothing.
        /// </summary>
        private static object? OnSigterm(Action cleanup)
        {
            try
            {
                // From the runtime's own library: a copy of the contract assembly in a module's load context would register with nobody.
                var runtime = typeof(object).Assembly;
                var registration = runtime.GetType("System.Runtime.InteropServices.PosixSignalRegistration", throwOnError: false);
                var signal = runtime.GetType("System.Runtime.InteropServices.PosixSignal", throwOnError: false);
                var context = runtime.GetType("System.Runtime.InteropServices.PosixSignalContext", throwOnError: false);
                if (registration == null || signal == null || context == null)
                {
                    return null;
                }

                var handlerType = typeof(Action<>).MakeGenericType(context);
                var argument = System.Linq.Expressions.Expression.Parameter(context, "context");
                var handler = System.Linq.Expressions.Expression.Lambda(handlerType, System.Linq.Expressions.Expression.Invoke(System.Linq.Expressions.Expression.Constant(cleanup)), argument).Compile();
                var create = registration.GetMethod("Create", new[] { signal, handlerType });
                return create?.Invoke(null, new object[] { Enum.Parse(signal, "SIGTERM"), handler });
            }
            catch (Exception ex) when (ex is System.Reflection.TargetInvocationException || ex is ArgumentException || ex is PlatformNotSupportedException || ex is InvalidOperationException)
            {
                return null;
            }
        }

        /// <param name="progress">Told the bytes written so far, after each write.</param>
        public static async Task<long> SaveAsync(HttpResponseMessage response, OutFileTarget target, RestCall call, TimeSpan idleTimeout, IProgress<long>? progress, CancellationToken cancellationToken)
        {
            if (target.Special)
            {
                using (var device = Guard(target, () => UnixFiles.OpenWriteExisting(target.Path)))
                {
                    return await CopyAsync(response, device, target, call, idleTimeout, progress, cancellationToken).ConfigureAwait(false);
                }
            }

            var folder = Path.GetDirectoryName(target.Path)!;
            RemoveAbandoned(folder);
            var temp = Path.Combine(folder, $".ica{Process.GetCurrentProcess().Id:x}-{Guid.NewGuid().ToString("N").Substring(0, 6)}.part");
            Writing[temp] = 0;
            try
            {
                long written;
                using (var file = Guard(target, () => UnixFiles.IsUnix ? UnixFiles.CreateNew(temp, target.Mode) : new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true)))
                {
                    written = await CopyAsync(response, file, target, call, idleTimeout, progress, cancellationToken).ConfigureAwait(false);
                }

                Guard(target, () =>
                {
                    AtomicFile.Publish(temp, target.Path);
                    return true;
                });
                return written;
            }
            finally
            {
                TryDelete(temp);
                Writing.TryRemove(temp, out _);
            }
        }

        private static async Task<long> CopyAsync(HttpResponseMessage response, Stream target, OutFileTarget file, RestCall call, TimeSpan idleTimeout, IProgress<long>? progress, CancellationToken cancellationToken)
        {
            long written = 0;
            var what = $"{call.Method} {call.Target.Display}";
            using (var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var buffer = new byte[81920];
                while (true)
                {
                    int read;
                    idle.CancelAfter(idleTimeout);
                    try
                    {
                        read = await source.ReadAsync(buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new IcaException(
                            ErrorIds.Timeout,
                            IcaErrorKind.OperationTimeout,
                            $"The answer to {what} stopped: nothing arrived for {idleTimeout.TotalSeconds:0.###} s after {written:N0} bytes. -OutFile '{Shown.Value(file.Path, 200)}' was left as it was; run the command again, or give a longer -TimeoutSec.",
                            what,
                            ex);
                    }
                    catch (Exception ex) when (ex is IOException || ex is HttpRequestException)
                    {
                        throw new IcaException(
                            ErrorIds.ConnectionFailed,
                            IcaErrorKind.ConnectionError,
                            $"The answer to {what} broke off after {written:N0} bytes; -OutFile '{Shown.Value(file.Path, 200)}' was left as it was. Run the command again.",
                            what,
                            ex);
                    }

                    if (read == 0)
                    {
                        return written;
                    }

                    try
                    {
                        await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        throw OutFileTarget.Failed(file.Path, ex);
                    }

                    written += read;
                    progress?.Report(written);
                }
            }
        }

        /// <summary>Runs a file operation; its failure is an -OutFile error, never a profile file's.</summary>
        private static T Guard<T>(OutFileTarget target, Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw OutFileTarget.Failed(target.Path, ex);
            }
        }

        /// <summary>Removes our temp files in FOLDER whose writing process no longer runs (killed mid-download).</summary>
        private static void RemoveAbandoned(string folder)
        {
            try
            {
                foreach (var candidate in Directory.EnumerateFiles(folder, ".ica*.part"))
                {
                    var match = TempName.Match(Path.GetFileName(candidate));
                    if (match.Success && !IsRunning(Convert.ToInt32(match.Groups["pid"].Value, 16))
                        && (!UnixFiles.IsUnix || UnixFiles.Inspect(candidate) is UnixEntry entry && entry.Kind == UnixEntryKind.File && entry.Owner == UnixFiles.EffectiveUserId))
                    {
                        TryDelete(candidate);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Tidying is a courtesy: a folder we cannot list is still written to below, or fails there plainly.
            }
        }

        private static bool IsRunning(int processId)
        {
            try
            {
                using (Process.GetProcessById(processId))
                {
                    return true;
                }
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Left for the next download into this folder to remove.
            }
        }
    }
}
