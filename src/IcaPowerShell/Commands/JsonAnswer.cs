using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// JSON in and out through PowerShell's own ConvertFrom-Json and ConvertTo-Json, so objects
    /// have the shape Invoke-RestMethod gives them on each edition; and the fields of an ICA page.
    /// </summary>
    internal static class JsonAnswer
    {
        public static IList<PSObject> Parse(CommandInvocationIntrinsics invoke, string text) =>
            invoke.InvokeScript(false, ScriptBlock.Create("param($text) ConvertFrom-Json -InputObject $text"), null, text);

        public static string Serialize(CommandInvocationIntrinsics invoke, object value) =>
            invoke.InvokeScript(false, ScriptBlock.Create("param($value) ConvertTo-Json -InputObject $value -Depth 32 -Compress"), null, value)
                .Single().BaseObject.ToString()!;

        /// <summary>A page's items; an answer without "items" is one item.</summary>
        public static List<PSObject> Items(PSObject page) =>
            page.Properties["items"]?.Value is object items
                ? (items is IEnumerable many && !(items is string) ? many.Cast<object>().Select(PSObject.AsPSObject).ToList() : new List<PSObject> { PSObject.AsPSObject(items) })
                : new List<PSObject> { page };

        public static string? Text(PSObject page, string name) => page.Properties[name]?.Value?.ToString();

        public static long? Number(PSObject page, string name) =>
            page.Properties[name]?.Value is object value && long.TryParse(value.ToString(), out var number) ? number : (long?)null;
    }
}
