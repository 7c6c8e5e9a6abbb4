using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>
    /// Reads the top-level scalar members of a small JSON object. JSON is YAML, so YamlDotNet, which
    /// the module ships anyway, parses it; netstandard2.0 has no built-in JSON reader, and
    /// System.Text.Json would add about 1 MB to the module for two tiny documents. It walks the
    /// parser's events without building a tree, so a hostile answer nested thousands deep cannot
    /// exhaust the stack.
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

            var members = new Dictionary<string, string>(StringComparer.Ordinal);
            var parser = new Parser(new StringReader(trimmed));
            try
            {
                parser.Consume<StreamStart>();
                parser.Consume<DocumentStart>();
                parser.Consume<MappingStart>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = parser.Consume<Scalar>().Value;
                    if (parser.TryConsume<Scalar>(out var value))
                    {
                        members[key] = value.Value;
                    }
                    else
                    {
                        SkipNested(parser);
                    }
                }

                parser.Consume<DocumentEnd>();
                return parser.TryConsume<StreamEnd>(out _) ? members : null;
            }
            catch (Exception ex) when (ex is YamlException || ex is ArgumentException || ex is InvalidOperationException || ex is FormatException)
            {
                return null;
            }
        }

        /// <summary>Skips a nested list or object (an "aud" array, say) by counting, not recursing.</summary>
        private static void SkipNested(IParser parser)
        {
            var depth = 0;
            do
            {
                var current = parser.Consume<ParsingEvent>();
                depth += current.NestingIncrease;
            }
            while (depth > 0);
        }
    }
}
