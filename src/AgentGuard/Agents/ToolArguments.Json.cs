using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>Readers of <see cref="JsonElement"/> values: scalars, members of objects, arrays and lists, for the generated readers of a tool's own types.</summary>
public static partial class ToolArguments
{
    /// <summary>
    /// Reads property <paramref name="name"/> of a JSON object (exact name, then ignoring case); a missing or null
    /// property leaves <paramref name="value"/> at its default.
    /// </summary>
    public static MemberRead ReadMember<T>(JsonElement element, string name, JsonValueReader<T> read, out T value)
    {
        if (!TryGetProperty(element, name, out var property))
        {
            value = default!;
            return MemberRead.Missing;
        }

        return read(property, out value) ? MemberRead.Read : MemberRead.Invalid;
    }

    /// <summary>Reads a property of a nullable value type; a missing or null property is <see langword="null"/>.</summary>
    public static MemberRead ReadNullableMember<T>(JsonElement element, string name, JsonValueReader<T> read, out T? value)
        where T : struct
    {
        var result = ReadMember(element, name, read, out T read1);
        value = result == MemberRead.Read ? read1 : null;
        return result;
    }

    /// <summary>
    /// Whether a member a generated reader found in its pass over an object has a value: a property that was absent
    /// (<see langword="default"/>) or JSON <c>null</c> has none.
    /// </summary>
    public static bool HasValue(JsonElement member) => member.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>
    /// The index of the name in <paramref name="names"/> (UTF-8) that <paramref name="property"/>'s name spells exactly,
    /// compared without decoding it; -1 when it spells none. Models send an object's properties in the schema's order,
    /// so the name after the last one matched (<paramref name="next"/>) is tried first: in that order each property
    /// costs one comparison.
    /// </summary>
    public static int IndexOfName(JsonProperty property, byte[][] names, ref int next)
    {
        if ((uint)next < (uint)names.Length && property.NameEquals(names[next]))
        {
            return next++;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (i != next && property.NameEquals(names[i]))
            {
                next = i + 1;
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads a JSON array with <paramref name="read"/> for each item.</summary>
    public static bool TryReadArray<T>(JsonElement element, JsonValueReader<T> read, out T[] value)
    {
        value = null!;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var items = new T[element.GetArrayLength()];
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (!read(item, out items[index++]))
            {
                return false;
            }
        }

        value = items;
        return true;
    }

    /// <summary>Reads a JSON array into a list with <paramref name="read"/> for each item.</summary>
    public static bool TryReadList<T>(JsonElement element, JsonValueReader<T> read, out List<T> value)
    {
        value = null!;
        if (element.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var items = new List<T>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (!read(item, out var one))
            {
                return false;
            }

            items.Add(one);
        }

        value = items;
        return true;
    }

    /// <summary>Reads a JSON value that may be <c>null</c> into a nullable value type.</summary>
    public static bool TryReadNullableValue<T>(JsonElement element, JsonValueReader<T> read, out T? value)
        where T : struct
    {
        value = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (!read(element, out var one))
        {
            return false;
        }

        value = one;
        return true;
    }

    /// <summary>
    /// Turns a raw argument into a <see cref="JsonElement"/> for the generated readers of records, classes and
    /// collections: as is when the model sent JSON, serialized when a client passed CLR values.
    /// </summary>
    public static bool TryGetElement(object? raw, out JsonElement element)
    {
        switch (raw)
        {
            case JsonElement json:
                element = json;
                return true;
            case null:
                element = default;
                return false;
            case string text:
                try
                {
                    using var document = JsonDocument.Parse(text);
                    element = document.RootElement.Clone();
                    return element.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
                }
                catch (JsonException)
                {
                    element = default;
                    return false;
                }

            default:
                try
                {
                    element = JsonSerializer.SerializeToElement(raw, AIJsonUtilities.DefaultOptions.GetTypeInfo(raw.GetType()));
                    return true;
                }
                catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
                {
                    element = default;
                    return false;
                }
        }
    }

    /// <summary>
    /// Finds property <paramref name="name"/> of a JSON object: exactly, then ignoring case. A JSON <c>null</c>
    /// counts as absent.
    /// </summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a string from JSON.</summary>
    public static bool TryReadString(JsonElement element, out string value)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            return true;
        }

        return TryReadString((object?)element, out value);
    }

    /// <summary>Reads a boolean from JSON.</summary>
    public static bool TryReadBoolean(JsonElement element, out bool value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                value = false;
                return true;
            case JsonValueKind.String:
                return bool.TryParse(element.GetString(), out value);
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Reads a 32-bit integer from JSON.</summary>
    public static bool TryReadInt32(JsonElement element, out int value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value))
        {
            return true;
        }

        return TryReadWholeNumber(element, int.MinValue, int.MaxValue, static number => (int)number, out value);
    }

    /// <summary>Reads a 64-bit integer from JSON.</summary>
    public static bool TryReadInt64(JsonElement element, out long value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value))
        {
            return true;
        }

        return TryReadWholeNumber(element, long.MinValue, long.MaxValue, static number => (long)number, out value);
    }

    /// <summary>Reads a double from JSON.</summary>
    public static bool TryReadDouble(JsonElement element, out double value)
    {
        if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetDouble(out value) && !double.IsNaN(value) && !double.IsInfinity(value))
            {
                return true;
            }

            value = 0;
            return false;
        }

        return TryReadDouble((object?)element, out value);
    }

    /// <summary>Reads a single-precision number from JSON.</summary>
    public static bool TryReadSingle(JsonElement element, out float value)
    {
        value = 0;
        if (!TryReadDouble(element, out var d) || float.IsInfinity((float)d))
        {
            return false;
        }

        value = (float)d;
        return true;
    }

    /// <summary>Reads an 8-bit unsigned integer from JSON.</summary>
    public static bool TryReadByte(JsonElement element, out byte value)
        => TryReadWholeNumber(element, byte.MinValue, byte.MaxValue, static number => (byte)number, out value);

    /// <summary>Reads an 8-bit signed integer from JSON.</summary>
    public static bool TryReadSByte(JsonElement element, out sbyte value)
        => TryReadWholeNumber(element, sbyte.MinValue, sbyte.MaxValue, static number => (sbyte)number, out value);

    /// <summary>Reads a 16-bit signed integer from JSON.</summary>
    public static bool TryReadInt16(JsonElement element, out short value)
        => TryReadWholeNumber(element, short.MinValue, short.MaxValue, static number => (short)number, out value);

    /// <summary>Reads a 16-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt16(JsonElement element, out ushort value)
        => TryReadWholeNumber(element, ushort.MinValue, ushort.MaxValue, static number => (ushort)number, out value);

    /// <summary>Reads a 32-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt32(JsonElement element, out uint value)
        => TryReadWholeNumber(element, uint.MinValue, uint.MaxValue, static number => (uint)number, out value);

    /// <summary>Reads a 64-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt64(JsonElement element, out ulong value)
        => TryReadWholeNumber(element, ulong.MinValue, ulong.MaxValue, static number => (ulong)number, out value);

    /// <summary>Reads one character from a JSON string of length 1.</summary>
    public static bool TryReadChar(JsonElement element, out char value)
    {
        if (element.ValueKind == JsonValueKind.String && element.GetString() is { Length: 1 } text)
        {
            value = text[0];
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Reads a decimal from JSON.</summary>
    public static bool TryReadDecimal(JsonElement element, out decimal value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out value))
        {
            return true;
        }

        return TryReadDecimal((object?)element, out value);
    }

    /// <summary>Reads a <see cref="Guid"/> from JSON.</summary>
    public static bool TryReadGuid(JsonElement element, out Guid value)
        => TryReadText(element, static (string text, out Guid parsed) => Guid.TryParse(text, out parsed), out value);

    /// <summary>Reads a date and time from JSON.</summary>
    public static bool TryReadDateTime(JsonElement element, out DateTime value)
        => TryReadText(element, static (string text, out DateTime parsed) => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out parsed), out value);

    /// <summary>Reads a date and time with offset from JSON.</summary>
    public static bool TryReadDateTimeOffset(JsonElement element, out DateTimeOffset value)
        => TryReadText(element, static (string text, out DateTimeOffset parsed) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out parsed), out value);

    /// <summary>Reads a time span from JSON.</summary>
    public static bool TryReadTimeSpan(JsonElement element, out TimeSpan value)
        => TryReadText(element, static (string text, out TimeSpan parsed) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out parsed), out value);

    /// <summary>Reads an enum member by name from JSON.</summary>
    public static bool TryReadEnum<TEnum>(JsonElement element, out TEnum value)
        where TEnum : struct, Enum
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return TryReadEnumName(element.GetString()!, out value);
        }

        value = default;
        return false;
    }

    // A whole number (3 or 3.0) within [min, max]: an integer straight from the JSON text, anything else through decimal.
    private static bool TryReadWholeNumber<TInteger>(JsonElement element, decimal min, decimal max, Func<decimal, TInteger> narrow, out TInteger value)
        where TInteger : struct
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var whole) && whole >= min && whole <= max)
        {
            value = narrow(whole);
            return true;
        }

        return TryReadWholeNumber((object?)element, min, max, narrow, out value);
    }

    // A value with a text form (Guid, dates, time spans) from a JSON string, or from a number's text.
    private static bool TryReadText<TValue>(JsonElement element, TextParser<TValue> parse, out TValue value)
        where TValue : struct
    {
        value = default;
        return element.ValueKind switch
        {
            JsonValueKind.String => parse(element.GetString()!, out value),
            JsonValueKind.Number => parse(element.GetRawText(), out value),
            _ => false,
        };
    }

    /// <summary>
    /// Reads a value of any other shape (arrays, lists, records, classes) with System.Text.Json and
    /// Microsoft.Extensions.AI's default options.
    /// </summary>
    public static bool TryReadJson<T>(object? raw, out T value)
    {
        value = default!;
        try
        {
            if (raw is T typed)
            {
                value = typed;
                return true;
            }

            var typeInfo = AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(T));
            object? parsed = raw switch
            {
                JsonElement element => element.Deserialize(typeInfo),
                string text when typeof(T) != typeof(string) => JsonSerializer.Deserialize(text, typeInfo),
                _ => JsonSerializer.Deserialize(JsonSerializer.SerializeToElement(raw, AIJsonUtilities.DefaultOptions.GetTypeInfo(raw?.GetType() ?? typeof(object))), typeInfo),
            };

            if (parsed is T result)
            {
                value = result;
                return true;
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (NotSupportedException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
