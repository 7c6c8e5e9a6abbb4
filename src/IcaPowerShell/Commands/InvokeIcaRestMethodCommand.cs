using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Calls any ICA endpoint with the runspace's token: the media types ICA declares for the
    /// operation, ICA's errors as ErrorRecords, a new token on a 401, and -All to follow ICA's
    /// paging, writing each page's items as it arrives.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "IcaRestMethod", DefaultParameterSetName = ProfileSet, SupportsPaging = true)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeIcaRestMethodCommand : IcaCredentialCmdlet
    {
        /// <summary>
        /// Get (the default), Post, Put, Delete or Patch. Checked in RequestLine, not by a
        /// ValidateSet: a lone positional argument that is not a method is the path
        /// ("Invoke-IcaRestMethod projects"), and a ValidateSet would also take over completion.
        /// </summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(ApiMethodCompleter))]
        public string? Method { get; set; }

        /// <summary>Relative to https://server/ica/rest/api/, or an absolute URL on the session's server.</summary>
        [Parameter(Position = 1)]
        [ArgumentCompleter(typeof(ApiPathCompleter))]
        public string? Path { get; set; }

        [Parameter]
        [ValidateNotNull]
        public IDictionary? Query { get; set; }

        /// <summary>A hashtable or object is sent as JSON; a string or byte array as it is.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? Body { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ContentType { get; set; }

        [Parameter]
        [ValidateNotNull]
        public IDictionary? Headers { get; set; }

        /// <summary>Follow ICA's paging and write every page's items.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        /// <summary>Write the answer's body to this file (streamed), as octet-stream answers need.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>The media type version (3 for application/vnd.illumina.v3+json) instead of the oldest the operation declares.</summary>
        [Parameter]
        [ValidateRange(1, 99)]
        public int ApiVersion { get; set; }

        /// <summary>A variable that receives the answer's headers (ETag, for example).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResponseHeadersVariable { get; set; }

        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        protected override string? ProfileName => Profile;

        private RequestLine line = new RequestLine("GET", string.Empty);

        // The request last sent, for what the answer's handling says about it.
        private RestCall? call;

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                line = RequestLine.From(Method, Path);
                var credentials = CredentialRequest(force: false);
                var query = PageSize > 0 ? WithPageSize(Query) : Query;
                var body = BodyBytes();
                var headers = HeaderValues();
                RestCall MakeCall(Core.Profiles.ServerAddress server, RestTarget? target = null)
                {
                    target ??= RestTarget.Build(server, line.Path, query);
                    var operation = IcaApiTable.Find(line.Method, target.ApiSegments);
                    var version = ApiVersion > 0 ? ApiVersion : (int?)null;
                    return call = new RestCall(line.Method, target, MediaTypes.Accept(operation, version), body, ContentType ?? MediaTypes.ContentType(operation, version), headers, Streamed: OutFile != null && !All);
                }

                if (All)
                {
                    WritePages(credentials, server => MakeCall(server));
                    return;
                }

                using (var response = Session.SendAsync(credentials, server => MakeCall(server), CancelOnStop).GetAwaiter().GetResult())
                {
                    FlushVerbose();
                    WriteAnswer(response);
                }
            });
        }

        private void WritePages(Core.Session.TokenRequest credentials, Func<Core.Profiles.ServerAddress, RestCall> first)
        {
            PagingState? paging = null;
            RestTarget? next = null;
            var skipped = 0UL;
            var written = 0UL;
            while (true)
            {
                PSObject page;
                RestCall? sent = null;
                using (var response = Session.SendAsync(credentials, server => sent = next == null ? first(server) : first(server) with { Target = next }, CancelOnStop).GetAwaiter().GetResult())
                {
                    FlushVerbose();
                    page = JsonAnswer.Parse(InvokeCommand, response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).Single();
                }

                paging ??= new PagingState(sent!.Target);
                var items = JsonAnswer.Items(page);
                foreach (var item in items)
                {
                    if (skipped < PagingParameters.Skip)
                    {
                        skipped++;
                        continue;
                    }

                    if (written >= PagingParameters.First)
                    {
                        return;
                    }

                    WriteObject(item);
                    if (++written >= PagingParameters.First)
                    {
                        return;   // not one more page request for items nobody asked for
                    }
                }

                paging.Advance(items.Count, JsonAnswer.Text(page, "nextPageToken"), JsonAnswer.Number(page, "totalItemCount"), JsonAnswer.Number(page, "remainingRecords"));
                var total = paging.Total;
                WriteProgress(new ProgressRecord(1, "Invoke-IcaRestMethod -All", total is long t ? $"{paging.Received} of {t} records" : $"{paging.Received} records")
                {
                    PercentComplete = total is long all && all > 0 ? (int)Math.Min(100, paging.Received * 100 / all) : -1,
                    RecordType = paging.Next == null ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
                next = paging.Next;
                if (next == null)
                {
                    if (PagingParameters.IncludeTotalCount)
                    {
                        WriteObject(PagingParameters.NewTotalCount((ulong)(total ?? paging.Received), total == null ? 0.5 : 1.0));
                    }

                    return;
                }
            }
        }

        private void WriteAnswer(HttpResponseMessage response)
        {
            if (ResponseHeadersVariable != null)
            {
                SessionState.PSVariable.Set(ResponseHeadersVariable, response.Headers.Concat(response.Content.Headers)
                    .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase));
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
            if (OutFile != null)
            {
                var path = ProviderPath.Resolve(this, OutFile, nameof(OutFile))!;
                var bytes = RestDownload.SaveAsync(response, path, call!, CancelOnStop).GetAwaiter().GetResult();
                WriteVerbose($"Wrote the answer ({mediaType}, {bytes:N0} bytes) to '{path}'.");
                return;
            }

            if ((int)response.StatusCode == 204 || response.Content.Headers.ContentLength == 0)
            {
                return;
            }

            if (mediaType == MediaTypes.OctetStream)
            {
                throw new IcaException(
                    ErrorIds.OutFileRequired,
                    IcaErrorKind.InvalidArgument,
                    $"{line.Method} {line.Path} answers with a file ({mediaType}); give -OutFile to save it.",
                    "OutFile");
            }

            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            if (!mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                WriteObject(text);
                return;
            }

            var answer = JsonAnswer.Parse(InvokeCommand, text);
            if (PagingParameters.First != ulong.MaxValue || PagingParameters.Skip > 0)
            {
                // -First/-Skip without -All: on the items of this one page.
                var items = answer.Count == 1 ? JsonAnswer.Items(answer[0]) : answer.ToList();
                foreach (var item in items.Skip((int)Math.Min(PagingParameters.Skip, int.MaxValue)).Take((int)Math.Min(PagingParameters.First, int.MaxValue)))
                {
                    WriteObject(item);
                }

                return;
            }

            foreach (var item in answer)
            {
                WriteObject(item, enumerateCollection: true);
            }
        }

        private byte[]? BodyBytes()
        {
            switch (Body)
            {
                case null:
                    return null;
                case PSObject { BaseObject: byte[] raw }:
                    return raw;
                case byte[] raw:
                    return raw;
                case PSObject { BaseObject: string text }:
                    return Encoding.UTF8.GetBytes(text);
                case string text:
                    return Encoding.UTF8.GetBytes(text);
                default:
                    return Encoding.UTF8.GetBytes(JsonAnswer.Serialize(InvokeCommand, Body));
            }
        }

        private IReadOnlyDictionary<string, string>? HeaderValues() =>
            Headers?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => Convert.ToString(e.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, StringComparer.OrdinalIgnoreCase);

        private IDictionary WithPageSize(IDictionary? query)
        {
            var copy = new Hashtable(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in query ?? new Hashtable())
            {
                copy[entry.Key] = entry.Value;
            }

            copy["pageSize"] = PageSize;
            return copy;
        }
    }
}
