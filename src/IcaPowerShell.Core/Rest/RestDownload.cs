using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// Streams an answer's body to -OutFile without holding it in memory, and without leaving a
    /// torn file: the bytes go to a temp file beside the target, which takes the target's name
    /// only when the whole body has arrived. A connection that breaks leaves the target as it was.
    /// </summary>
    public static class RestDownload
    {
        public static async Task<long> SaveAsync(HttpResponseMessage response, string path, RestCall call, CancellationToken cancellationToken)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.download");
            try
            {
                long written = 0;
                using (var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
                using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    var buffer = new byte[81920];
                    while (true)
                    {
                        int read;
                        try
                        {
                            read = await source.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException || ex is HttpRequestException)
                        {
                            throw new IcaException(
                                ErrorIds.ConnectionFailed,
                                IcaErrorKind.ConnectionError,
                                $"The answer to {call.Method} {call.Target.Display} broke off after {written:N0} bytes; '{path}' was left as it was. Run the command again.",
                                $"{call.Method} {call.Target.Display}",
                                ex);
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        await target.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                        written += read;
                    }
                }

                AtomicFile.Publish(temp, path);
                return written;
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }
    }
}
