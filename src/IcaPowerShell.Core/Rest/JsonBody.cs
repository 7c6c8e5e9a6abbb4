using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Rest
{
    /// <summary>
    /// A request body as JSON, written by the engine so that Windows PowerShell 5.1 and PowerShell
    /// 7 send the same bytes: 5.1's ConvertTo-Json writes a date as \/Date(ms)\/ (ICA refuses
    /// it), wraps some arrays as {"value":[...],"Count":n}, and turns enums into numbers. Here:
    /// dates in ISO 8601 (round-trip "o" form), enums by name, dictionaries and objects as JSON
    /// objects (public properties), every other sequence as an array, numbers invariant.
    /// The cmdlet hands plain .NET values (PowerShell objects already unwrapped).
    /// </summary>
    public static class JsonBody
    {
        public const int MaxDepth = 32;

        public static byte[] Serialize(object? value)
        {
            var text = new StringBuilder();
            Write(text, value, 0);
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text.ToString());
        }

        private static void Write(StringBuilder text, object? value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new IcaException(ErrorIds.UnsupportedBody, IcaErrorKind.InvalidArgument, $"-Body is nested deeper than {MaxDepth} levels (a loop?); send it as a JSON string instead.", "Body");
            }

            switch (value)
            {
                case null:
                case DBNull _:
                    text.Append("null");
                    return;
                case string s:
                    Quote(text, s);
                    return;
                case char c:
                    Quote(text, c.ToString());
                    return;
                case bool b:
                    text.Append(b ? "true" : "false");
                    return;
                case DateTime time:
                    Quote(text, time.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case DateTimeOffset time:
                    Quote(text, time.ToString("o", CultureInfo.InvariantCulture));
                    return;
                case Enum e:
                    Quote(text, e.ToString());
                    return;
                case Guid _:
                case Uri _:
                case TimeSpan _:
                    Quote(text, Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                    return;
                case float f:
                    Number(text, f, f.ToString("R", CultureInfo.InvariantCulture));
                    return;
                case double d:
                    Number(text, d, d.ToString("R", CultureInfo.InvariantCulture));
                    return;
                case byte _:
                case sbyte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                case ulong _:
                case decimal _:
                    text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
                case IDictionary map:
                    text.Append('{');
                    var first = true;
                    foreach (DictionaryEntry entry in map)
                    {
                        Member(text, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value, depth, ref first);
                    }

                    text.Append('}');
                    return;
                case IEnumerable many:
                    text.Append('[');
                    var index = 0;
                    foreach (var item in many)
                    {
                        text.Append(index++ == 0 ? string.Empty : ",");
                        Write(text, item, depth + 1);
                    }

                    text.Append(']');
                    return;
                default:
                    text.Append('{');
                    var none = true;
                    foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
                    {
                        Member(text, property.Name, property.GetValue(value), depth, ref none);
                    }

                    text.Append('}');
                    return;
            }
        }

        private static void Member(StringBuilder text, string name, object? value, int depth, ref bool first)
        {
            text.Append(first ? string.Empty : ",");
            first = false;
            Quote(text, name);
            text.Append(':');
            Write(text, value, depth + 1);
        }

        /// <summary>NaN and infinities have no JSON form: null, which is valid JSON.</summary>
        private static void Number(StringBuilder text, double value, string formatted) =>
            text.Append(double.IsNaN(value) || double.IsInfinity(value) ? "null" : formatted);

        private static void Quote(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\b': text.Append("\\b"); break;
                    case '\f': text.Append("\\f"); break;
                    default:
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }

                        break;
                }
            }

            text.Append('"');
        }
    }
}
