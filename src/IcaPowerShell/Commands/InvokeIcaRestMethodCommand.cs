using System;
using System.Collections;
using System.Management.Automation;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Calls any ICA endpoint with the runspace's token: the media types ICA declares for the
    /// operation, ICA's errors as ErrorRecords (its body in ErrorDetails), a new token on a 401,
    /// and -All to follow ICA's paging, writing each page's items as it arrives. POST, PUT, PATCH
    /// and DELETE ask ShouldProcess (Medium impact: -WhatIf and -Confirm work, scripts are not stopped).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "IcaRestMethod", DefaultParameterSetName = ProfileSet, SupportsPaging = true, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeIcaRestMethodCommand : IcaCredentialCmdlet
    {
        /// <summary>Get (the default), Post, Put, Delete or Patch; a lone first argument that is not one is the path.</summary>
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

        /// <summary>A hashtable or object is sent as JSON; a string or byte array as it is. Refused on GET and DELETE: use -Query.</summary>
        [Parameter(ValueFromPipeline = true)]
        public object? Body { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ContentType { get; set; }

        [Parameter]
        [ValidateNotNull]
        public IDictionary? Headers { get; set; }

        [Parameter]
        public SwitchParameter All { get; set; }

        [Parameter]
        [ValidateRange(1, 1000)]
        public int PageSize { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        [Parameter]
        [ValidateRange(1, 99)]
        public int ApiVersion { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ResponseHeadersVariable { get; set; }

        /// <summary>A variable that receives the answer's HTTP status code (an error's too).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatusCodeVariable { get; set; }

        /// <summary>Write an HTTP error's answer instead of throwing it.</summary>
        [Parameter]
        public SwitchParameter SkipHttpErrorCheck { get; set; }

        /// <summary>Seconds for each attempt, and for each wait for more of a download.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; }

        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        protected override string? ProfileName => Profile;

        internal Core.Session.IcaSessionOptions SessionOptions => Session.Options;

        internal System.Threading.CancellationToken StopToken => CancelOnStop;

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var request = RestRequest.From(this);
                if (request.Line.Method != "GET" && !ShouldProcessWithoutHanging(request.Line.Path, request.Line.Method, ConfirmImpact.Medium, "Pass -Confirm:$false"))
                {
                    return;
                }

                var answer = new RestAnswer(this, request);
                answer.DebugText("Request body", request.Body);
                try
                {
                    var client = Wait(Session.ConnectAsync(CredentialRequest(force: false), CancelOnStop));
                    var call = request.CallFor(client.Server);
                    if (All)
                    {
                        answer.WritePages(client.Pages(call, answer.Wanted, CancelOnStop));
                        return;
                    }

                    using (var response = Wait(client.SendAsync(call, CancelOnStop)))
                    {
                        answer.Write(response, call);
                    }
                }
                catch (IcaException ex) when (StatusCodeVariable != null && ex.HttpStatus is int status)
                {
                    SessionState.PSVariable.Set(StatusCodeVariable, status);
                    throw;
                }
            });
        }

        internal T Await<T>(System.Threading.Tasks.Task<T> task) => Wait(task);
    }
}
