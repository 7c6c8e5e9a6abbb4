using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Writes the answers of Invoke-IcaRestMethod: one answer's status and headers to the
    /// variables asked for, its body to -OutFile, as PowerShell objects (JSON) or as text; or,
    /// with -All, the items of every page as it arrives.
    /// </summary>
    internal sealed class RestAnswer
    {
        private const int DebugCap = 4096;
        private readonly InvokeIcaRestMethodCommand cmdlet;
        private readonly RestRequest request;
        private readonly PagingParameters paging;

        public RestAnswer(InvokeIcaRestMethodCommand cmdlet, RestRequest request)
        {
            this.cmdlet = cmdlet;
            this.request = request;
            paging = cmdlet.PagingParameters;
        }

        /// <summary>The most items written (-Skip plus -First): -All asks for no page beyond them. Null for all.</summary>
        public long? Wanted => paging.First == ulong.MaxValue ? (long?)null : (long)Math.Min(paging.Skip + Math.Min(paging.First, long.MaxValue), long.MaxValue);

        public void Write(HttpResponseMessage response, RestCall call)
        {
            SetStatus((int)response.StatusCode);
            if (cmdlet.ResponseHeadersVariable != null)
            {
                cmdlet.SessionState.PSVariable.Set(cmdlet.ResponseHeadersVariable, response.Headers.Concat(response.Content.Headers)
                    .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (request.OutFile != null && response.IsSuccessStatusCode)
            {
                Save(response, call, mediaType);
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

            // The pipeline read the body within the attempt's timeout: this is memory, not the network.
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                // -SkipHttpErrorCheck: the error answer, cut as ErrorDetails would be (a server may echo a secret).
                text = cmdlet.SessionOptions.Http.Secrets.CleanAnswer(text);
            }

            DebugText("Response body", text);
            if (!mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                cmdlet.WriteObject(text);
                return;
            }

            var answer = Parse(text, call);
            var items = paging.First != ulong.MaxValue || paging.Skip > 0
                ? JsonAnswer.Items(answer).Skip((int)Math.Min(paging.Skip, int.MaxValue)).Take((int)Math.Min(paging.First, int.MaxValue))   // -First/-Skip without -All: this one page's items
                : JsonAnswer.Elements(answer);
            foreach (var item in items)
            {
                cmdlet.WriteObject(item);
            }
        }

        /// <summary>-All: each page's items written as it arrives, while the next page is on its way.</summary>
        public void WritePages(RestPages pages)
        {
            var skipped = 0UL;
            var written = 0UL;
            if (paging.First == 0)
            {
                pages.Dispose();
                return;   // -First 0: nothing asked for, nothing sent
            }

            using (pages)
            {
                while (NextPage(pages, written) is RestPage page)
                {
                    SetStatus(page.Status);
                    DebugText("Response body", page.Text);
                    // An error page is there only with -SkipHttpErrorCheck: cut as ErrorDetails would be.
                    var text = page.Status >= 200 && page.Status < 300 ? page.Text : cmdlet.SessionOptions.Http.Secrets.CleanAnswer(page.Text);
                    foreach (var item in JsonAnswer.Items(Parse(text, pages.Call)))
                    {
                        if (skipped < paging.Skip)
                        {
                            skipped++;
                            continue;
                        }

                        cmdlet.WriteObject(item);
                        if (++written >= paging.First)
                        {
                            return;   // and the sequence asked for no page beyond this one
                        }
                    }

                    cmdlet.WriteProgress(new ProgressRecord(1, "Invoke-IcaRestMethod -All", page.Total is long t ? $"{page.Received} of {t} records" : $"{page.Received} records")
                    {
                        PercentComplete = page.Total is long all && all > 0 ? (int)Math.Min(100, page.Received * 100 / all) : -1,
                        RecordType = page.IsLast ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                    });
                    if (page.IsLast && paging.IncludeTotalCount)
                    {
                        cmdlet.WriteObject(paging.NewTotalCount((ulong)(page.Total ?? page.Received), page.Total == null ? 0.5 : 1.0));
                    }
                }
            }
        }

        public void DebugText(string what, byte[]? bytes)
        {
            if (bytes != null && bytes.Length > 0 && Debugging)
            {
                DebugText(what, Encoding.UTF8.GetString(bytes));
            }
        }

        /// <summary>A body for -Debug: secrets cut, capped; nothing is cleaned unless -Debug is on.</summary>
        public void DebugText(string what, string? text)
        {
            if (string.IsNullOrEmpty(text) || !Debugging)
            {
                return;   // nothing to show: no preference lookup on the common GET
            }

            var bytes = Encoding.UTF8.GetByteCount(text);
            var shown = text!.Length > DebugCap ? text.Substring(0, DebugCap) : text;
            cmdlet.WriteDebug($"{what} ({bytes:N0} bytes{(text.Length > DebugCap ? ", the first 4 KB shown" : string.Empty)}): {cmdlet.SessionOptions.Http.Secrets.CleanServerText(shown)}");
        }

        private void Save(HttpResponseMessage response, RestCall call, string mediaType)
        {
            var target = request.OutFile!;
            var progress = new DownloadProgress(cmdlet, target.Path, response.Content.Headers.ContentLength);
            try
            {
                var idle = request.Timeout ?? cmdlet.SessionOptions.Http.Timeout;
                var bytes = cmdlet.Await(RestDownload.SaveAsync(response, target, call, idle, progress, cmdlet.StopToken));
                cmdlet.WriteVerbose($"Wrote the answer ({mediaType}, {bytes:N0} bytes) to '{target.Path}'.");
            }
            finally
            {
                cmdlet.WriteProgress(progress.Completed());
            }
        }

        /// <summary>-Debug, or $DebugPreference set to show debug lines.</summary>
        private bool Debugging =>
            (cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && debug is SwitchParameter on && on.IsPresent)
            || (LanguagePrimitives.TryConvertTo<ActionPreference>(cmdlet.GetVariableValue("DebugPreference"), out var preference) && preference != ActionPreference.SilentlyContinue);

        /// <summary>The next page; a page that fails says how far -All got, and the progress bar is cleared.</summary>
        private RestPage? NextPage(RestPages pages, ulong written)
        {
            try
            {
                return cmdlet.Await(pages.NextAsync());
            }
            catch (IcaException ex) when (written > 0)
            {
                cmdlet.WriteProgress(new ProgressRecord(1, "Invoke-IcaRestMethod -All", $"stopped after {written} records") { RecordType = ProgressRecordType.Completed });
                throw ex.WithPrefix($"-All stopped after {written} records were written.");
            }
        }

        private PSObject? Parse(string text, RestCall call) =>
            JsonAnswer.Parse(cmdlet.InvokeCommand, text, $"{call.Method} {call.Target.Display}", cmdlet.SessionOptions.Http.Secrets.CleanServerText);

        private void SetStatus(int status)
        {
            if (cmdlet.StatusCodeVariable != null)
            {
                cmdlet.SessionState.PSVariable.Set(cmdlet.StatusCodeVariable, status);
            }
        }
    }
}
