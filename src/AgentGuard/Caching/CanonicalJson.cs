using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Writes the identity of a tool call as canonical JSON: one text for calls the tool cannot tell apart, and
/// different texts for calls it can. The output is ASCII and unambiguous, so a hash of it is a cache key.
/// </summary>
/// <remarks>
/// <para>
/// A value the model sent (a <see cref="JsonElement"/>) is written as <c>[0, json]</c>: objects with their
/// properties sorted (by name ignoring case, then by their original order, so that properties whose names differ
/// only in case keep the order a case-insensitive reader sees), strings with one escaping (every character outside
/// printable ASCII as <c>\uXXXX</c>), and numbers as their exact literal text. Numbers are not normalised: a number
/// sent for a string parameter reaches the tool as its text, so <c>1.1</c> and <c>1.10</c> are different calls,
/// and a <see cref="decimal"/> parameter keeps the scale. Different spellings of one number are a cache miss,
/// never a collision.
/// </para>
/// <para>
/// A CLR value (a client that parsed the arguments itself) is written with its runtime type,
/// <c>[1, "type", exact form]</c>: integers as themselves, <see cref="double"/> and <see cref="float"/> by their
/// bits, <see cref="decimal"/> by its four parts (scale and sign included), dates and time spans by ticks and kind
/// or offset, enums by their underlying value, dictionaries with string keys as sorted objects, sequences as arrays.
/// Dictionaries and sequences are keyed this way only when they are arrays or, by exact runtime type, one of the
/// BCL's collections (<see cref="List{T}"/>, <see cref="Dictionary{TKey, TValue}"/>, the immutable collections, …);
/// any other sequence — a LINQ query or iterator, which keying would consume or re-run, or a custom collection,
/// whose state beyond its items would be missed — makes the call uncacheable (JSON nodes are serialized).
/// Any other CLR value is serialized structurally with Microsoft.Extensions.AI's default JSON options (the form the
/// generated readers consume) as <c>[2, "type", json]</c>. A value with no JSON form — serialization fails, or
/// yields an empty object for a type that is not a dictionary, or the value nests deeper than 64 levels — makes
/// the call uncacheable: it runs every time and is counted, never keyed by a text that other values share.
/// </para>
/// </remarks>
internal static partial class CanonicalJson
{
    private const int MaxDepth = 64;
    private static readonly byte[] Hex = "0123456789abcdef"u8.ToArray();
    private static readonly IComparer<Member> ByName = new MemberComparer();

    // Collections keyed by their items, by generic type definition; any other sequence is not keyed (see Clr).
    private static readonly HashSet<string> KnownCollections = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.Stack`1",
        "System.Collections.ObjectModel.Collection`1",
        "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.ObjectModel.ReadOnlyDictionary`2",
        "System.Collections.Concurrent.ConcurrentDictionary`2",
        "System.Collections.Immutable.ImmutableArray`1",
        "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Immutable.ImmutableSortedDictionary`2",
        "System.Collections.Immutable.ImmutableHashSet`1",
        "System.Collections.Immutable.ImmutableSortedSet`1",
        "System.Collections.Immutable.ImmutableQueue`1",
        "System.Collections.Immutable.ImmutableStack`1",
    };

    /// <summary>
    /// Writes <c>["agentguard.tool/2", partition, tool, version, arguments]</c>; <see langword="false"/> (with the
    /// reason) when an argument has no JSON form.
    /// </summary>
    public static bool TryWriteCall(ByteBufferWriter output, string? partition, string toolName, string? toolVersion, IEnumerable<KeyValuePair<string, object?>>? arguments, out string? reason)
    {
        var writer = new Writer(output);
        writer.Raw("[\"agentguard.tool/2\",");
        writer.StringOrNull(partition);
        writer.Byte((byte)',');
        writer.StringOrNull(toolName);
        writer.Byte((byte)',');
        writer.StringOrNull(toolVersion);
        writer.Byte((byte)',');
        if (arguments is null)
        {
            writer.Raw("null");
        }
        else if (!writer.ClrPairs(arguments, depth: 0))
        {
            reason = writer.Failure;
            return false;
        }

        writer.Byte((byte)']');
        reason = null;
        return true;
    }

    private readonly struct Member
    {
        public Member(string name, int index, object? value)
        {
            Name = name;
            Index = index;
            Value = value;
        }

        public string Name { get; }

        public int Index { get; }

        public object? Value { get; }
    }

    private sealed class MemberComparer : IComparer<Member>
    {
        // By name ignoring case; names equal ignoring case keep their order, because a case-insensitive lookup
        // finds the first of them.
        public int Compare(Member x, Member y)
        {
            var byName = string.Compare(x.Name, y.Name, StringComparison.OrdinalIgnoreCase);
            return byName != 0 ? byName : x.Index.CompareTo(y.Index);
        }
    }

    private struct Writer
    {
        private readonly ByteBufferWriter output;

        public Writer(ByteBufferWriter output)
        {
            this.output = output;
            Failure = null;
        }

        public string? Failure { get; private set; }

        public void Byte(byte value)
        {
            var span = output.GetSpan(1);
            span[0] = value;
            output.Advance(1);
        }

        // Callers pass ASCII only.
        public void Raw(string ascii)
        {
            var span = output.GetSpan(ascii.Length);
            for (var i = 0; i < ascii.Length; i++)
            {
                span[i] = (byte)ascii[i];
            }

            output.Advance(ascii.Length);
        }

        public void StringOrNull(string? text)
        {
            if (text is null)
            {
                Raw("null");
            }
            else
            {
                String(text);
            }
        }

        // One escaping for every string: '"' and '\' escaped, every UTF-16 unit outside printable ASCII as \uXXXX
        // (lone surrogates included), so the text is injective and pure ASCII.
        public void String(string text)
        {
            Byte((byte)'"');
            foreach (var c in text)
            {
                if (c == '"' || c == '\\')
                {
                    Byte((byte)'\\');
                    Byte((byte)c);
                }
                else if (c < 0x20 || c > 0x7E)
                {
                    var span = output.GetSpan(6);
                    span[0] = (byte)'\\';
                    span[1] = (byte)'u';
                    span[2] = Hex[(c >> 12) & 0xF];
                    span[3] = Hex[(c >> 8) & 0xF];
                    span[4] = Hex[(c >> 4) & 0xF];
                    span[5] = Hex[c & 0xF];
                    output.Advance(6);
                }
                else
                {
                    Byte((byte)c);
                }
            }

            Byte((byte)'"');
        }

        public bool ClrPairs(IEnumerable<KeyValuePair<string, object?>> pairs, int depth)
        {
            var buffer = ArrayPool<Member>.Shared.Rent(pairs is ICollection<KeyValuePair<string, object?>> collection ? Math.Max(collection.Count, 1) : 16);
            var count = 0;
            try
            {
                foreach (var pair in pairs)
                {
                    Add(ref buffer, ref count, new Member(pair.Key ?? string.Empty, count, pair.Value));
                }

                return Members(buffer, count, depth, json: false);
            }
            finally
            {
                ArrayPool<Member>.Shared.Return(buffer, clearArray: true);
            }
        }

        private static void Add(ref Member[] buffer, ref int count, Member member)
        {
            if (count == buffer.Length)
            {
                var larger = ArrayPool<Member>.Shared.Rent(buffer.Length * 2);
                Array.Copy(buffer, larger, count);
                ArrayPool<Member>.Shared.Return(buffer, clearArray: true);
                buffer = larger;
            }

            buffer[count++] = member;
        }

        private bool Members(Member[] buffer, int count, int depth, bool json)
        {
            if (count > 1)
            {
                Array.Sort(buffer, 0, count, ByName);
            }

            Byte((byte)'{');
            for (var i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    Byte((byte)',');
                }

                String(buffer[i].Name);
                Byte((byte)':');
                var ok = json ? Json((JsonElement)buffer[i].Value!, depth + 1) : Clr(buffer[i].Value, depth + 1);
                if (!ok)
                {
                    return false;
                }
            }

            Byte((byte)'}');
            return true;
        }

        private bool Fail(string reason)
        {
            Failure ??= reason;
            return false;
        }

        public bool Json(JsonElement element, int depth)
        {
            if (depth > MaxDepth)
            {
                return Fail("the arguments nest deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
            }

            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var buffer = ArrayPool<Member>.Shared.Rent(8);
                    var count = 0;
                    try
                    {
                        foreach (var property in element.EnumerateObject())
                        {
                            Add(ref buffer, ref count, new Member(property.Name, count, property.Value));
                        }

                        return Members(buffer, count, depth, json: true);
                    }
                    finally
                    {
                        ArrayPool<Member>.Shared.Return(buffer, clearArray: true);
                    }

                case JsonValueKind.Array:
                    Byte((byte)'[');
                    var first = true;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!first)
                        {
                            Byte((byte)',');
                        }

                        first = false;
                        if (!Json(item, depth + 1))
                        {
                            return false;
                        }
                    }

                    Byte((byte)']');
                    return true;
                case JsonValueKind.String:
                    string text;
                    try
                    {
                        text = element.GetString()!;
                    }
                    catch (InvalidOperationException)
                    {
                        return Fail("a string is not valid UTF-16");
                    }

                    String(text);
                    return true;
                case JsonValueKind.Number:
                    // The exact literal: how a tool reads it depends on its parameter type, which the key does not know.
                    Raw(element.GetRawText());
                    return true;
                case JsonValueKind.True:
                    Raw("true");
                    return true;
                case JsonValueKind.False:
                    Raw("false");
                    return true;
                default:
                    Raw("null");
                    return true;
            }
        }

        private bool Clr(object? value, int depth)
        {
            if (value is null)
            {
                Raw("null");
                return true;
            }

            if (value is JsonElement element)
            {
                Raw("[0,");
                if (!Json(element, depth))
                {
                    return false;
                }

                Byte((byte)']');
                return true;
            }

            if (depth > MaxDepth)
            {
                return Fail("the arguments nest deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
            }

            var type = value.GetType();
            if (value is IEnumerable and not string && !IsKnownCollection(value, type))
            {
                // JSON nodes serialize exactly; any other sequence is refused rather than enumerated: a LINQ query
                // or an iterator would be consumed or re-run before the tool sees it, and a custom collection may
                // carry state beyond its items that keying the items alone (or serializing it as an array) would miss.
                return value is System.Text.Json.Nodes.JsonNode
                    ? Serialized(value, type, depth)
                    : Fail("a sequence of type " + type + " is not an array or a known collection: keying it could consume a one-shot enumerable or miss state beyond its items");
            }

            if (!IsStructural(value))
            {
                // Any other value: its JSON serialization, marked so it never equals a structural form.
                return Serialized(value, type, depth);
            }

            Raw("[1,");
            String(type.ToString());
            Byte((byte)',');
            switch (value)
            {
                case string text:
                    String(text);
                    break;
                case bool flag:
                    Raw(flag ? "true" : "false");
                    break;
                case char c:
                    String(c.ToString());
                    break;
                case int or long or short or sbyte or byte or uint or ulong or ushort:
                    Raw(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                    break;
                case double d:
                    Raw(BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture));
                    break;
                case float f:
                    Raw(BitConverter.DoubleToInt64Bits(f).ToString(CultureInfo.InvariantCulture));
                    break;
                case decimal m:
                    var bits = decimal.GetBits(m);
                    Raw("[" + bits[0].ToString(CultureInfo.InvariantCulture) + "," + bits[1].ToString(CultureInfo.InvariantCulture) + ","
                        + bits[2].ToString(CultureInfo.InvariantCulture) + "," + bits[3].ToString(CultureInfo.InvariantCulture) + "]");
                    break;
                case DateTime dateTime:
                    Raw("[" + dateTime.Ticks.ToString(CultureInfo.InvariantCulture) + "," + ((int)dateTime.Kind).ToString(CultureInfo.InvariantCulture) + "]");
                    break;
                case DateTimeOffset offset:
                    Raw("[" + offset.Ticks.ToString(CultureInfo.InvariantCulture) + "," + offset.Offset.Ticks.ToString(CultureInfo.InvariantCulture) + "]");
                    break;
                case TimeSpan span:
                    Raw(span.Ticks.ToString(CultureInfo.InvariantCulture));
                    break;
                case Guid guid:
                    Raw("\"" + guid.ToString("D") + "\"");
                    break;
                case Enum enumValue:
                    Raw(enumValue.ToString("D"));
                    break;
                case IEnumerable<KeyValuePair<string, object?>> pairs:
                    if (!ClrPairs(pairs, depth))
                    {
                        return false;
                    }

                    break;
                case IDictionary dictionary when HasOnlyStringKeys(dictionary):
                    if (!ClrDictionary(dictionary, depth))
                    {
                        return false;
                    }

                    break;
                case IEnumerable sequence:
                    Byte((byte)'[');
                    var first = true;
                    try
                    {
                        foreach (var item in sequence)
                        {
                            if (!first)
                            {
                                Byte((byte)',');
                            }

                            first = false;
                            if (!Clr(item, depth + 1))
                            {
                                return false;
                            }
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A default ImmutableArray<T>, a collection changed while it is read.
                        return Fail("a sequence of type " + type + " could not be read (" + ex.GetType().Name + ")");
                    }

                    Byte((byte)']');
                    break;
            }

            Byte((byte)']');
            return true;
        }

        // Arrays and the BCL's own collections, by exact runtime type: they hold their items and nothing else, and
        // reading them has no effect. A subclass (class Page : List<T> { int Number }) is not one of them.
        private static bool IsKnownCollection(object value, Type type)
        {
            if (value is Array array)
            {
                return array.Rank == 1 && array.GetLowerBound(0) == 0;
            }

            if (type == typeof(ArrayList) || type == typeof(Hashtable) || type == typeof(AIFunctionArguments))
            {
                return true;
            }

            return type.IsGenericType && type.GetGenericTypeDefinition().FullName is { } name && KnownCollections.Contains(name);
        }

        private static bool IsStructural(object value)
            => value is string or bool or char or int or long or short or sbyte or byte or uint or ulong or ushort
                or double or float or decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Enum
                or IEnumerable<KeyValuePair<string, object?>>
                || (value is IDictionary dictionary ? HasOnlyStringKeys(dictionary) : value is IEnumerable);

        private bool ClrDictionary(IDictionary dictionary, int depth)
        {
            var buffer = ArrayPool<Member>.Shared.Rent(Math.Max(dictionary.Count, 1));
            var count = 0;
            try
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    Add(ref buffer, ref count, new Member((string)entry.Key, count, entry.Value));
                }

                return Members(buffer, count, depth, json: false);
            }
            finally
            {
                ArrayPool<Member>.Shared.Return(buffer, clearArray: true);
            }
        }

        private static bool HasOnlyStringKeys(IDictionary dictionary)
        {
            foreach (var key in dictionary.Keys)
            {
                if (key is not string)
                {
                    return false;
                }
            }

            return true;
        }

        private bool Serialized(object value, Type type, int depth)
        {
            JsonElement json;
            try
            {
                json = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A getter that throws anything makes the call uncacheable, never fails it.
                return Fail("a value of type " + type + " has no JSON form (" + ex.GetType().Name + ")");
            }

            if (json.ValueKind == JsonValueKind.Object && !json.EnumerateObject().MoveNext())
            {
                return Fail("a value of type " + type + " serializes to an empty object, which would match every other value of its type");
            }

            Raw("[2,");
            String(type.ToString());
            Byte((byte)',');
            if (!Json(json, depth + 1))
            {
                return false;
            }

            Byte((byte)']');
            return true;
        }
    }
}
