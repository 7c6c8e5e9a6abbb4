using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// JSON answers through PowerShell's own ConvertFrom-Json, module-qualified so that a user's
    /// function of the same name does not replace it, and one rule for arrays on both editions:
    /// PowerShell 7 unrolls a top-level array and Windows PowerShell 5.1 does not, so the array is
    /// kept whole (-NoEnumerate on 7) and its elements are the answer's items, each written as it is.
    /// </summary>
    internal static class JsonAnswer
    {
        private static readonly ScriptBlock Parser = ScriptBlock.Create(
            "param($text) $value = if ($PSVersionTable.PSVersion.Major -ge 7) { Microsoft.PowerShell.Utility\\ConvertFrom-Json -InputObject $text -NoEnumerate } else { Microsoft.PowerShell.Utility\\ConvertFrom-Json -InputObject $text }; @{ Value = $value }");

        /// <summary>The answer as one value: an object, an array (object[]), a scalar, or null.</summary>
        /// <remarks>The value comes back in a hashtable: InvokeScript would unroll an array written whole.</remarks>
        /// <param name="what">The request, for the error when TEXT is not JSON: "GET /projects".</param>
        /// <param name="clean">The session's cleaning, for the excerpt of TEXT in that error.</param>
        public static PSObject? Parse(CommandInvocationIntrinsics invoke, string text, string what, System.Func<string, string> clean)
        {
            try
            {
                return ((System.Collections.Hashtable)invoke.InvokeScript(false, Parser, null, text).Single().BaseObject)["Value"] is object value ? PSObject.AsPSObject(value) : null;
            }
            catch (RuntimeException ex)
            {
                // A proxy's page, or an answer cut short: say which request, never ConvertFrom-Json's own error.
                throw new Core.Errors.IcaException(
                    Core.Errors.ErrorIds.InvalidResponse,
                    Core.Errors.IcaErrorKind.ProtocolError,
                    $"The answer to {what} is not valid JSON ({text.Length:N0} characters, starting \"{clean(Core.Errors.Shown.Value(text, 80))}\"). Save it as it is with -OutFile to look at it.",
                    what,
                    ex);
            }
        }

        /// <summary>What the answer holds: an array's elements, nothing for null, else the value itself.</summary>
        public static List<PSObject> Elements(PSObject? answer) =>
            answer == null ? new List<PSObject>()
            : answer.BaseObject is object[] array ? array.Select(PSObject.AsPSObject).ToList()
            : new List<PSObject> { answer };

        /// <summary>A page's items: its "items" member; an answer without one is its own elements.</summary>
        public static List<PSObject> Items(PSObject? page) =>
            page?.Properties["items"]?.Value is object items
                ? (items is IEnumerable many && !(items is string) ? many.Cast<object>().Select(PSObject.AsPSObject).ToList() : new List<PSObject> { PSObject.AsPSObject(items) })
                : Elements(page);

        public static string? Text(PSObject? page, string name) => page?.BaseObject is PSCustomObject ? page.Properties[name]?.Value?.ToString() : null;

        public static long? Number(PSObject? page, string name) =>
            Text(page, name) is string value && long.TryParse(value, out var number) ? number : (long?)null;
    }
}
