using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Management.Automation;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Rest;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Invoke-IcaRestMethod's parameters as one request, checked before anything is sent (not
    /// even a token request): the method and path, conflicting parameters, a body where none
    /// belongs, the headers, -OutFile. The call itself is made for the server the token is for.
    /// </summary>
    internal sealed class RestRequest
    {
        private readonly IDictionary? query;
        private readonly IReadOnlyDictionary<string, string>? headers;
        private readonly string? contentType;
        private readonly int apiVersion;
        private readonly bool streamed;
        private readonly TimeSpan? timeout;
        private readonly bool skipHttpErrorCheck;

        private RestRequest(InvokeIcaRestMethodCommand cmdlet)
        {
            Line = RequestLine.From(cmdlet.Method, cmdlet.Path);
            Line = Line with { Path = ProjectPlaceholder.Fill(Line.Path, cmdlet.ProjectIdFor(Line.Path), cmdlet.HowToSetProject) };
            RestTarget.Check(Line.Path);
            Refuse(cmdlet.All && cmdlet.OutFile != null, "-All writes the items of every page; -OutFile saves one answer. Use one of them.", "OutFile");
            Refuse(cmdlet.All && cmdlet.ResponseHeadersVariable != null, "-All makes many requests; -ResponseHeadersVariable holds the headers of one. Drop one of them.", "ResponseHeadersVariable");
            if (cmdlet.Body != null && (Line.Method == "GET" || Line.Method == "DELETE"))
            {
                throw new IcaException(
                    ErrorIds.BodyNotAllowed,
                    IcaErrorKind.InvalidArgument,
                    $"{Line.Method} sends no body, so -Body would be lost: pass a filter as -Query @{{ name = value }}. (An object piped to Invoke-IcaRestMethod binds to -Body: pipe only to Post, Put or Patch.)",
                    "Body");
            }

            headers = RequestHeaders.From(cmdlet.Headers);
            contentType = cmdlet.ContentType == null ? null : RequestHeaders.Value(cmdlet.ContentType, "Content-Type", "ContentType");
            Body = BodyBytes(cmdlet.Body);
            OutFile = cmdlet.OutFile == null ? null : OutFileTarget.Check(ProviderPath.Resolve(cmdlet, cmdlet.OutFile, "OutFile")!);
            Refuse(cmdlet.PageSize > 0 && cmdlet.Query != null && cmdlet.Query.Keys.Cast<object>().Any(k => string.Equals(k?.ToString(), "pageSize", StringComparison.OrdinalIgnoreCase)), "-PageSize and -Query @{ pageSize = ... } both set the page size. Give one of them.", "PageSize");
            query = cmdlet.PageSize > 0 ? With(cmdlet.Query, "pageSize", cmdlet.PageSize) : cmdlet.Query;
            apiVersion = cmdlet.ApiVersion;
            streamed = OutFile != null;
            timeout = cmdlet.TimeoutSec > 0 ? TimeSpan.FromSeconds(cmdlet.TimeoutSec) : (TimeSpan?)null;
            skipHttpErrorCheck = cmdlet.SkipHttpErrorCheck;
        }

        public RequestLine Line { get; }

        public byte[]? Body { get; }

        public OutFileTarget? OutFile { get; }

        public TimeSpan? Timeout => timeout;

        public static RestRequest From(InvokeIcaRestMethodCommand cmdlet) => new RestRequest(cmdlet);

        /// <summary>The call for SERVER, the token's own: only there is the token ever sent.</summary>
        public RestCall CallFor(ServerAddress server)
        {
            var target = RestTarget.Build(server, Line.Path, query);
            var operation = IcaApiTable.Find(Line.Method, target.ApiSegments);
            var version = apiVersion > 0 ? apiVersion : (int?)null;
            return new RestCall(Line.Method, target, MediaTypes.Accept(operation, version), Body, contentType ?? MediaTypes.ContentType(operation, version), headers, streamed, timeout, skipHttpErrorCheck);
        }

        private static void Refuse(bool conflict, string message, string parameter)
        {
            if (conflict)
            {
                throw new IcaException(ErrorIds.ParameterConflict, IcaErrorKind.InvalidArgument, message, parameter);
            }
        }

        private static byte[]? BodyBytes(object? body)
        {
            var value = body is PSObject wrapped ? wrapped.BaseObject : body;
            switch (value)
            {
                case null:
                    return null;
                case byte[] raw:
                    return raw;
                case string text:
                    return Encoding.UTF8.GetBytes(text);
                default:
                    return JsonBody.Serialize(Plain(body, 0));
            }
        }

        /// <summary>PowerShell objects as plain values for the engine's JSON: a custom object's properties, a wrapped value unwrapped.</summary>
        private static object? Plain(object? value, int depth)
        {
            if (depth > JsonBody.MaxDepth)
            {
                throw new IcaException(ErrorIds.UnsupportedBody, IcaErrorKind.InvalidArgument, $"-Body is nested deeper than {JsonBody.MaxDepth} levels (a loop?); send it as a JSON string instead.", "Body");
            }

            switch (value)
            {
                case PSObject { BaseObject: PSCustomObject } custom:
                    var members = new OrderedDictionary();
                    foreach (var property in custom.Properties)
                    {
                        members[property.Name] = Plain(property.Value, depth + 1);
                    }

                    return members;
                case PSObject wrapped:
                    return Plain(wrapped.BaseObject, depth);
                case IDictionary map:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry entry in map)
                    {
                        copy[entry.Key] = Plain(entry.Value, depth + 1);
                    }

                    return copy;
                case string text:
                    return text;
                case IEnumerable many:
                    return many.Cast<object?>().Select(item => Plain(item, depth + 1)).ToList();
                default:
                    return value;
            }
        }

        private static IDictionary With(IDictionary? query, string name, object value)
        {
            var copy = new Hashtable(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in query ?? new Hashtable())
            {
                copy[entry.Key] = entry.Value;
            }

            copy[name] = value;
            return copy;
        }
    }
}
