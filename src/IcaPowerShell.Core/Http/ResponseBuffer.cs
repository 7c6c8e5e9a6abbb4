using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// Reads an answer's body whole, within the attempt's timeout and at most a limit of bytes
    /// (after decompression): a bigger answer is refused at once, not fetched again. The answer
    /// then holds its body in memory, so the caller reads it without touching the network.
    /// </summary>
    internal static class ResponseBuffer
    {
        public static async Task ReadWholeAsync(HttpResponseMessage response, HttpCall call, long limit, CancellationToken cancellationToken)
        {
            if (response.Content.Headers.ContentLength is long declared && declared > limit)
            {
                throw TooLarge(call, declared, limit);
            }

            var body = new MemoryStream();
            var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(call, null, limit);
                }

                body.Write(chunk, 0, read);
            }

            var buffered = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
            foreach (var header in response.Content.Headers)
            {
                // The length is the buffer's own (after any decompression).
                if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content.Dispose();
            response.Content = buffered;
        }

        private static IcaException TooLarge(HttpCall call, long? declared, long limit) => new IcaException(
            ErrorIds.ResponseTooLarge,
            IcaErrorKind.LimitsExceeded,
            $"The answer to {call.Method} {call.Display} is over the {Size(limit)} read into memory{(declared is long size ? $" ({size:N0} bytes)" : string.Empty)}. {call.TooLargeAdvice}".TrimEnd(),
            $"{call.Method} {call.Display}")
        {
            HttpStatus = 200,
        };

        private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} MB" : $"{bytes / 1024} KB";
    }
}
