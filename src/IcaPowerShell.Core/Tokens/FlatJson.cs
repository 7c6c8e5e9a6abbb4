using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>
    /// Reads the top-level scalar members of a small JSON object. JSON is YAML, so YamlDotNet, which
    /// the module ships anyway, parses it; netstandard2.0 has no built-in JSON reader, and
    /// System.Text.Json would add about 1 MB to the module for two tiny documents.
    /// </summary>
    internal static class FlatJson
    {
        /// <summary>The members whose values are scalars; null when the text is not a JSON object.</summary>
        public static IReadOnlyDictionary<string, string>? TryParseObject(string text)
        {
            var trimmed = text.TrimStart();
            if (!trimmed.StartsWith("{", StringComparison.Ordinal))
            {
                return null;
            }

            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(trimmed));
            }
            catch (Exception ex) when (ex is YamlException || ex is ArgumentException)
            {
                return null;
            }

            if (stream.Documents.Count != 1 || !(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                return null;
            }

            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var member in root.Children)
            {
                if (member.Key is YamlScalarNode key && key.Value != null && member.Value is YamlScalarNode value && value.Value != null)
                {
                    members[key.Value] = value.Value;
                }
            }

            return members;
        }
    }
}
