using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Writes the answers of Invoke-IcaRestMethod: one answer's status and headers to the
    /// variables asked for, its body to -OutFile, as PowerShell objects (JSON) or as text; or,
    /// with -All, the items of every page.
    /// </summary>
    internal sealed class RestAnswer
    {
        private readonly InvokeIcaRestMethodCommand cmdlet;
        private readonly RestRequest request;

        public RestAnswer(InvokeIcaRestMethodCommand cmdlet, RestRequest request)
        {
            this.cmdlet = cmdlet;
            this.request = request;
        }

        public void Write(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            if (cmdlet.StatusCodeVariable != null)
            {
                cmdlet.SessionState.PSVariable.Set(cmdlet.StatusCodeVariable, (int)response.StatusCode);
            }

            if (cmdlet.ResponseHeadersVariable != null)
            {
                cmdlet.SessionState.PSVariable.Set(cmdlet.ResponseHeadersVariable, response.Headers.Concat(response.Content.Headers)
                    .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (request.OutFile != null && response.IsSuccessStatusCode)
            {
                var idle = request.Timeout ?? cmdlet.SessionOptions.Http.Timeout;
                var bytes = cmdlet.Await(RestDownload.SaveAsync(response, request.OutFile, request.Sent!, idle, cancellationToken));
                cmdlet.WriteVerbose($"Wrote the answer ({mediaType}, {bytes:N0} bytes) to '{request.OutFile.Path}'.");
                return;
            }

            if ((int)response.StatusCode == 204 || response.Content.Headers.ContentLength == 0)
            {
                return;
            }

            if (mediaType == MediaTypes.OctetStream && response.IsSuccessStatusCode)
            {
                throw new IcaException(
                    ErrorIds.OutFileRequired,
                    IcaErrorKind.InvalidArgument,
                    $"{request.Line.Method} {request.Line.Path} answers with a file ({mediaType}); give -OutFile to save it.",
                    "OutFile");
            }

            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            cmdlet.DebugText("Response body", body);
            var text = System.Text.Encoding.UTF8.GetString(body);
            if (!mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                cmdlet.WriteObject(text);
                return;
            }

            var answer = JsonAnswer.Parse(cmdlet.InvokeCommand, text);
            var paging = cmdlet.PagingParameters;
            if (paging.First != ulong.MaxValue || paging.Skip > 0)
            {
                // -First/-Skip without -All: on the items of this one page.
                foreach (var item in JsonAnswer.Items(answer).Skip((int)Math.Min(paging.Skip, int.MaxValue)).Take((int)Math.Min(paging.First, int.MaxValue)))
                {
                    cmdlet.WriteObject(item);
                }

                return;
            }

            foreach (var item in JsonAnswer.Elements(answer))
            {
                cmdlet.WriteObject(item);
            }
        }
        /// <summary>-All: ICA's pages followed (Core's PagingState decides the next), each page's items written as it arrives.</summary>
        public void WritePages(Func<Func<Core.Profiles.ServerAddress, RestCall>, HttpResponseMessage> send)
        {
            var paging = cmdlet.PagingParameters;
            PagingState? state = null;
            RestTarget? next = null;
            var skipped = 0UL;
            var written = 0UL;
            while (true)
            {
                PSObject? page;
                using (var response = send(server => request.CallFor(server, next)))
                {
                    var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                    cmdlet.DebugText("Response body", body);
                    page = JsonAnswer.Parse(cmdlet.InvokeCommand, System.Text.Encoding.UTF8.GetString(body));
                }

                state ??= new PagingState(request.Sent!.Target);
                var items = JsonAnswer.Items(page);
                foreach (var item in items)
                {
                    if (skipped < paging.Skip)
                    {
                        skipped++;
                        continue;
                    }

                    cmdlet.WriteObject(item);
                    if (++written >= paging.First)
                    {
                        return;   // not one more page request for items nobody asked for
                    }
                }

                state.Advance(items.Count, JsonAnswer.Text(page, "nextPageToken"), JsonAnswer.Number(page, "totalItemCount"), JsonAnswer.Number(page, "remainingRecords"));
                var total = state.Total;
                cmdlet.WriteProgress(new ProgressRecord(1, "Invoke-IcaRestMethod -All", total is long t ? $"{state.Received} of {t} records" : $"{state.Received} records")
                {
                    PercentComplete = total is long all && all > 0 ? (int)Math.Min(100, state.Received * 100 / all) : -1,
                    RecordType = state.Next == null ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
                next = state.Next;
                if (next == null)
                {
                    if (paging.IncludeTotalCount)
                    {
                        cmdlet.WriteObject(paging.NewTotalCount((ulong)(total ?? state.Received), total == null ? 0.5 : 1.0));
                    }

                    return;
                }
            }
        }
    }
}
