using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>
    /// Reads the top-level scalar members of a JSON object: the token answer, a problem+json
    /// error, a JWT payload. Nested arrays and objects are skipped by counting, never recursion,
    /// so a hostile answer cannot exhaust the stack.
    /// Why not a library: netstandard2.0 has no JSON reader; System.Text.Json would add 730 KB to
    /// the module for Windows PowerShell 5.1, and YamlDotNet (JSON is YAML) costs about 10 us and
    /// 12 KB per document, most of a mint's overhead over a bare POST (bench/results). The
    /// top level follows RFC 8259, checked against System.Text.Json by FlatJsonTests' fuzzing.
    /// </summary>
    internal static class FlatJson
    {
        /// <summary>
        /// The members whose values are strings, numbers, true or false (a null member is as if
        /// absent); null when the text is not one JSON object. ARRAYLENGTHS, when given, receives
        /// the element count of each member whose value is an array.
        /// </summary>
        public static IReadOnlyDictionary<string, string>? TryParseObject(string text, Dictionary<string, int>? arrayLengths = null)
        {
            var reader = new Reader(text);
            return reader.TryReadObject(out var members, arrayLengths) ? members : null;
        }

        /// <summary>The element count of a text that is one JSON array; null when it is not one.</summary>
        public static int? TryCountArray(string text)
        {
            var reader = new Reader(text);
            return reader.TryCountArray(out var elements) ? elements : (int?)null;
        }

        private struct Reader
        {
            private readonly string text;
            private int at;

            public Reader(string text)
            {
                this.text = text;
                at = 0;
            }

            public bool TryCountArray(out int elements)
            {
                elements = 0;
                SkipWhiteSpace();
                if (Peek() != '[' || !TrySkipNested(out elements))
                {
                    return false;
                }

                SkipWhiteSpace();
                return at == text.Length;
            }

            public bool TryReadObject(out Dictionary<string, string> members, Dictionary<string, int>? arrayLengths)
            {
                members = new Dictionary<string, string>(StringComparer.Ordinal);
                SkipWhiteSpace();
                if (!Take('{'))
                {
                    return false;
                }

                SkipWhiteSpace();
                if (!Take('}'))
                {
                    do
                    {
                        SkipWhiteSpace();
                        if (!TryReadString(out var key))
                        {
                            return false;
                        }

                        SkipWhiteSpace();
                        if (!Take(':'))
                        {
                            return false;
                        }

                        SkipWhiteSpace();
                        if (Peek() == '{' || Peek() == '[')
                        {
                            var isArray = Peek() == '[';
                            if (!TrySkipNested(out var elements))
                            {
                                return false;
                            }

                            if (isArray && arrayLengths != null)
                            {
                                arrayLengths[key] = elements;
                            }
                        }
                        else if (Peek() is var first && TryReadScalar(out var value))
                        {
                            if (first == 'n')
                            {
                                members.Remove(key);
                            }
                            else
                            {
                                members[key] = value;
                            }
                        }
                        else
                        {
                            return false;
                        }

                        SkipWhiteSpace();
                    }
                    while (Take(','));

                    if (!Take('}'))
                    {
                        return false;
                    }
                }

                SkipWhiteSpace();
                return at == text.Length;
            }

            private bool TryReadScalar(out string value)
            {
                if (Peek() == '"')
                {
                    return TryReadString(out value);
                }

                var start = at;
                while (at < text.Length && (char.IsLetterOrDigit(text[at]) || text[at] == '-' || text[at] == '+' || text[at] == '.'))
                {
                    at++;
                }

                value = text.Substring(start, at - start);
                return value == "true" || value == "false" || value == "null" || IsNumber(value);
            }

            private bool TryReadString(out string value)
            {
                value = string.Empty;
                if (!Take('"'))
                {
                    return false;
                }

                StringBuilder? escaped = null;
                var start = at;
                while (at < text.Length)
                {
                    var c = text[at++];
                    if (c == '"')
                    {
                        value = escaped == null ? text.Substring(start, at - start - 1) : escaped.ToString();
                        return true;
                    }

                    if (c < ' ')
                    {
                        return false;
                    }

                    if (c != '\\')
                    {
                        escaped?.Append(c);
                        continue;
                    }

                    if (escaped == null)
                    {
                        escaped = new StringBuilder(text, start, at - start - 1, 64);
                    }

                    if (at >= text.Length)
                    {
                        return false;
                    }

                    var code = text[at++];
                    switch (code)
                    {
                        case '"': case '\\': case '/': escaped.Append(code); break;
                        case 'b': escaped.Append('\b'); break;
                        case 'f': escaped.Append('\f'); break;
                        case 'n': escaped.Append('\n'); break;
                        case 'r': escaped.Append('\r'); break;
                        case 't': escaped.Append('\t'); break;
                        case 'u':
                            if (at + 4 > text.Length || !ushort.TryParse(text.Substring(at, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                            {
                                return false;
                            }

                            escaped.Append((char)unit);
                            at += 4;
                            break;
                        default:
                            return false;
                    }
                }

                return false;
            }

            /// <summary>
            /// Skips a nested array or object: brackets must pair up and strings must be well
            /// formed; the values inside are not otherwise checked, as nothing reads them.
            /// ELEMENTS counts what is directly inside (an array's elements): the commas at that
            /// level, plus one when anything is there.
            /// </summary>
            private bool TrySkipNested(out int elements)
            {
                var open = new Stack<char>();
                var commas = 0;
                var any = false;
                elements = 0;
                while (at < text.Length)
                {
                    var c = text[at];
                    any |= open.Count == 1 && c != ']' && c != '}' && c != ',' && c != ' ' && c != '\t' && c != '\n' && c != '\r';
                    if (c == '"')
                    {
                        if (!TryReadString(out _))
                        {
                            return false;
                        }

                        continue;
                    }

                    at++;
                    if (c == '{' || c == '[')
                    {
                        open.Push(c == '{' ? '}' : ']');
                    }
                    else if (c == '}' || c == ']')
                    {
                        if (open.Count == 0 || open.Pop() != c)
                        {
                            return false;
                        }

                        if (open.Count == 0)
                        {
                            elements = any ? commas + 1 : 0;
                            return true;
                        }
                    }
                    else if (c == ',' && open.Count == 1)
                    {
                        commas++;
                    }
                }

                return false;
            }

            private static bool IsNumber(string value)
            {
                // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
                var i = 0;
                if (i < value.Length && value[i] == '-')
                {
                    i++;
                }

                if (i >= value.Length || !IsDigit(value[i]) || (value[i] == '0' && i + 1 < value.Length && IsDigit(value[i + 1])))
                {
                    return false;
                }

                while (i < value.Length && IsDigit(value[i]))
                {
                    i++;
                }

                if (i < value.Length && value[i] == '.')
                {
                    var digits = ++i;
                    while (i < value.Length && IsDigit(value[i]))
                    {
                        i++;
                    }

                    if (i == digits)
                    {
                        return false;
                    }
                }

                if (i < value.Length && (value[i] == 'e' || value[i] == 'E'))
                {
                    i++;
                    if (i < value.Length && (value[i] == '+' || value[i] == '-'))
                    {
                        i++;
                    }

                    var digits = i;
                    while (i < value.Length && IsDigit(value[i]))
                    {
                        i++;
                    }

                    if (i == digits)
                    {
                        return false;
                    }
                }

                return i == value.Length;
            }

            private static bool IsDigit(char c) => c >= '0' && c <= '9';

            private char Peek() => at < text.Length ? text[at] : '\0';

            private bool Take(char expected)
            {
                if (at < text.Length && text[at] == expected)
                {
                    at++;
                    return true;
                }

                return false;
            }

            private void SkipWhiteSpace()
            {
                while (at < text.Length && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
                {
                    at++;
                }
            }
        }
    }
}
