using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Reads a tool argument as the model sent it — a <see cref="JsonElement"/>, or a CLR value when a client has
/// already parsed it — into a typed value without reflection. Generated tools call these; each returns
/// <see langword="false"/> for a value of the wrong shape, so the tool is not called and the model is told.
/// </summary>
public static class ToolArguments
{
    /// <summary>Gets the raw value of argument <paramref name="name"/>; <see langword="false"/> when absent or null.</summary>
    public static bool TryGetValue(IDictionary<string, object?>? arguments, string name, out object? raw)
    {
        raw = null;
        if (arguments is null || !arguments.TryGetValue(name, out raw) || raw is null)
        {
            return false;
        }

        return raw is not JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined };
    }

    /// <summary>
    /// Reads required argument <paramref name="name"/> with <paramref name="read"/>; on failure,
    /// <paramref name="error"/> tells the model what was missing or malformed.
    /// </summary>
    public static bool TryRead<T>(IDictionary<string, object?>? arguments, string tool, string name, string expected, ArgumentReader<T> read, out T value, out string? error)
    {
        if (!TryGetValue(arguments, name, out var raw))
        {
            value = default!;
            error = Missing(tool, name, expected);
            return false;
        }

        return Read(raw, tool, name, expected, read, out value, out error);
    }

    /// <summary>Reads optional argument <paramref name="name"/>; <paramref name="fallback"/> when it is absent or null.</summary>
    public static bool TryReadOptional<T>(IDictionary<string, object?>? arguments, string tool, string name, string expected, ArgumentReader<T> read, T fallback, out T value, out string? error)
    {
        if (!TryGetValue(arguments, name, out var raw))
        {
            value = fallback;
            error = null;
            return true;
        }

        return Read(raw, tool, name, expected, read, out value, out error);
    }

    /// <summary>Reads an optional argument of a nullable value type; <paramref name="fallback"/> when it is absent or null.</summary>
    public static bool TryReadNullable<T>(IDictionary<string, object?>? arguments, string tool, string name, string expected, ArgumentReader<T> read, T? fallback, out T? value, out string? error)
        where T : struct
    {
        if (!TryGetValue(arguments, name, out var raw))
        {
            value = fallback;
            error = null;
            return true;
        }

        var ok = Read(raw, tool, name, expected, read, out T read1, out error);
        value = ok ? read1 : null;
        return ok;
    }

    /// <summary>Reads required argument <paramref name="name"/>, a JSON object or array, with a generated reader.</summary>
    public static bool TryReadElement<T>(IDictionary<string, object?>? arguments, string tool, string name, string expected, JsonValueReader<T> read, out T value, out string? error)
    {
        if (!TryGetValue(arguments, name, out var raw))
        {
            value = default!;
            error = Missing(tool, name, expected);
            return false;
        }

        return ReadElement(raw, tool, name, expected, read, out value, out error);
    }

    /// <summary>Reads optional argument <paramref name="name"/>, a JSON object or array; <paramref name="fallback"/> when absent or null.</summary>
    public static bool TryReadOptionalElement<T>(IDictionary<string, object?>? arguments, string tool, string name, string expected, JsonValueReader<T> read, T fallback, out T value, out string? error)
    {
        if (!TryGetValue(arguments, name, out var raw))
        {
            value = fallback;
            error = null;
            return true;
        }

        return ReadElement(raw, tool, name, expected, read, out value, out error);
    }

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

    private static bool ReadElement<T>(object? raw, string tool, string name, string expected, JsonValueReader<T> read, out T value, out string? error)
    {
        if (TryGetElement(raw, out var element) && read(element, out value))
        {
            error = null;
            return true;
        }

        value = default!;
        error = Malformed(tool, name, expected, raw);
        return false;
    }

    private static bool Read<T>(object? raw, string tool, string name, string expected, ArgumentReader<T> read, out T value, out string? error)
    {
        if (read(raw, out value))
        {
            error = null;
            return true;
        }

        error = Malformed(tool, name, expected, raw);
        return false;
    }

    /// <summary>The message for a missing required argument.</summary>
    public static string Missing(string toolName, string name, string expected)
        => $"Tool '{toolName}' was called without its required argument '{name}' ({expected}). Call it again with '{name}' set.";

    /// <summary>The message for an argument of the wrong shape.</summary>
    public static string Malformed(string toolName, string name, string expected, object? raw)
        => $"Argument '{name}' of tool '{toolName}' must be {expected}, but was {Describe(raw)}. Call it again with a valid value.";

    /// <summary>Reads a string; numbers and booleans are accepted as their JSON text.</summary>
    public static bool TryReadString(object? raw, out string value)
    {
        switch (raw)
        {
            case string text:
                value = text;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                value = element.GetString()!;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } element:
                value = element.GetRawText();
                return true;
            case null:
                value = null!;
                return false;
            default:
                value = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty;
                return raw is IConvertible;
        }
    }

    /// <summary>Reads a boolean (<c>true</c>/<c>false</c>, or their text).</summary>
    public static bool TryReadBoolean(object? raw, out bool value)
    {
        switch (raw)
        {
            case bool flag:
                value = flag;
                return true;
            case JsonElement { ValueKind: JsonValueKind.True }:
                value = true;
                return true;
            case JsonElement { ValueKind: JsonValueKind.False }:
                value = false;
                return true;
            default:
                value = false;
                return TryText(raw, out var text) && bool.TryParse(text, out value);
        }
    }

    /// <summary>Reads a 32-bit integer; a whole number written as <c>3.0</c> is accepted.</summary>
    public static bool TryReadInt32(object? raw, out int value)
    {
        value = 0;
        if (!TryReadDecimal(raw, out var number) || number != decimal.Truncate(number) || number < int.MinValue || number > int.MaxValue)
        {
            return false;
        }

        value = (int)number;
        return true;
    }

    /// <summary>Reads a 64-bit integer.</summary>
    public static bool TryReadInt64(object? raw, out long value)
    {
        value = 0;
        if (!TryReadDecimal(raw, out var number) || number != decimal.Truncate(number) || number < long.MinValue || number > long.MaxValue)
        {
            return false;
        }

        value = (long)number;
        return true;
    }

    /// <summary>Reads a finite double; <c>NaN</c>, infinities and numbers beyond its range are refused.</summary>
    public static bool TryReadDouble(object? raw, out double value)
    {
        var ok = raw switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } element => element.TryGetDouble(out value),
            double d => Assign(d, out value),
            float f => Assign(f, out value),
            int or long or short or byte or sbyte or ushort or uint or ulong or decimal => Assign(Convert.ToDouble(raw, CultureInfo.InvariantCulture), out value),
            _ => TryText(raw, out var text) & double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value),
        };

        if (ok && !double.IsNaN(value) && !double.IsInfinity(value))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads a finite single-precision number; <c>NaN</c>, infinities and numbers beyond its range are refused.</summary>
    public static bool TryReadSingle(object? raw, out float value)
    {
        value = 0;
        if (!TryReadDouble(raw, out var d) || float.IsInfinity((float)d))
        {
            return false;
        }

        value = (float)d;
        return true;
    }

    /// <summary>Reads an 8-bit unsigned integer (0 to 255); a whole number written as <c>3.0</c> is accepted.</summary>
    public static bool TryReadByte(object? raw, out byte value)
    {
        var ok = TryReadWholeNumber(raw, byte.MinValue, byte.MaxValue, out var number);
        value = ok ? (byte)number : default;
        return ok;
    }

    /// <summary>Reads an 8-bit signed integer (-128 to 127).</summary>
    public static bool TryReadSByte(object? raw, out sbyte value)
    {
        var ok = TryReadWholeNumber(raw, sbyte.MinValue, sbyte.MaxValue, out var number);
        value = ok ? (sbyte)number : default;
        return ok;
    }

    /// <summary>Reads a 16-bit signed integer (-32768 to 32767).</summary>
    public static bool TryReadInt16(object? raw, out short value)
    {
        var ok = TryReadWholeNumber(raw, short.MinValue, short.MaxValue, out var number);
        value = ok ? (short)number : default;
        return ok;
    }

    /// <summary>Reads a 16-bit unsigned integer (0 to 65535).</summary>
    public static bool TryReadUInt16(object? raw, out ushort value)
    {
        var ok = TryReadWholeNumber(raw, ushort.MinValue, ushort.MaxValue, out var number);
        value = ok ? (ushort)number : default;
        return ok;
    }

    /// <summary>Reads a 32-bit unsigned integer (0 to 4294967295).</summary>
    public static bool TryReadUInt32(object? raw, out uint value)
    {
        var ok = TryReadWholeNumber(raw, uint.MinValue, uint.MaxValue, out var number);
        value = ok ? (uint)number : default;
        return ok;
    }

    /// <summary>Reads a 64-bit unsigned integer (0 to 18446744073709551615).</summary>
    public static bool TryReadUInt64(object? raw, out ulong value)
    {
        var ok = TryReadWholeNumber(raw, ulong.MinValue, ulong.MaxValue, out var number);
        value = ok ? (ulong)number : default;
        return ok;
    }

    /// <summary>Reads one UTF-16 character from a string of length 1; numbers are refused.</summary>
    public static bool TryReadChar(object? raw, out char value)
    {
        switch (raw)
        {
            case char c:
                value = c;
                return true;
            case string { Length: 1 } text:
                value = text[0];
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } element when element.GetString() is { Length: 1 } text:
                value = text[0];
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>Reads a decimal exactly (no detour through <see cref="double"/>).</summary>
    public static bool TryReadDecimal(object? raw, out decimal value)
    {
        switch (raw)
        {
            case JsonElement { ValueKind: JsonValueKind.Number } element:
                return element.TryGetDecimal(out value)
                    || decimal.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case decimal d:
                value = d;
                return true;
            case int or long or short or byte or sbyte or ushort or uint or ulong:
                value = Convert.ToDecimal(raw, CultureInfo.InvariantCulture);
                return true;
            case double or float:
                var dbl = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                value = 0;
                if (double.IsNaN(dbl) || double.IsInfinity(dbl) || Math.Abs(dbl) > 7.9e28)
                {
                    return false;
                }

                value = (decimal)dbl;
                return true;
            default:
                value = 0;
                return TryText(raw, out var text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>Reads a <see cref="Guid"/>.</summary>
    public static bool TryReadGuid(object? raw, out Guid value)
    {
        if (raw is Guid guid)
        {
            value = guid;
            return true;
        }

        value = Guid.Empty;
        return TryText(raw, out var text) && Guid.TryParse(text, out value);
    }

    /// <summary>Reads an ISO 8601 date and time.</summary>
    public static bool TryReadDateTime(object? raw, out DateTime value)
    {
        if (raw is DateTime dateTime)
        {
            value = dateTime;
            return true;
        }

        value = default;
        return TryText(raw, out var text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    /// <summary>Reads an ISO 8601 date and time with offset.</summary>
    public static bool TryReadDateTimeOffset(object? raw, out DateTimeOffset value)
    {
        if (raw is DateTimeOffset offset)
        {
            value = offset;
            return true;
        }

        value = default;
        return TryText(raw, out var text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value);
    }

    /// <summary>Reads a time span (<c>c</c> format, e.g. <c>01:30:00</c>).</summary>
    public static bool TryReadTimeSpan(object? raw, out TimeSpan value)
    {
        if (raw is TimeSpan span)
        {
            value = span;
            return true;
        }

        value = default;
        return TryText(raw, out var text) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Reads an enum member by name (case-insensitive). Numbers, in any spelling, are refused so the model must name
    /// the member, and so is any value the enum does not define. A comma-separated list of names is read only for a
    /// <c>[Flags]</c> enum (<c>"Read, Write"</c>); for any other enum it is refused rather than combined into another member.
    /// </summary>
    public static bool TryReadEnum<TEnum>(object? raw, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (raw is TEnum typed)
        {
            if (!IsNamed(typed))
            {
                return false;
            }

            value = typed;
            return true;
        }

        string? text = raw switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
            _ => null,
        };
        if (text is null)
        {
            return false;
        }

        var start = 0;
        var names = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != ',')
            {
                continue;
            }

            // Each comma-separated part must be a name: its first non-blank character a letter or '_', never a digit or sign.
            var first = start;
            while (first < i && char.IsWhiteSpace(text[first]))
            {
                first++;
            }

            if (first == i || !(char.IsLetter(text[first]) || text[first] == '_'))
            {
                return false;
            }

            names++;
            start = i + 1;
        }

        if (names > 1 && !EnumShape<TEnum>.IsFlags)
        {
            return false;
        }

        if (!Enum.TryParse(text, ignoreCase: true, out value) || !IsNamed(value))
        {
            value = default;
            return false;
        }

        return true;
    }

    // Whether the value is a defined member (or, for [Flags], a combination of defined members): only then does it
    // print as names rather than as a number.
    private static bool IsNamed<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var text = value.ToString();
        return text.Length > 0 && !char.IsDigit(text[0]) && text[0] != '-';
    }

    private static class EnumShape<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly bool IsFlags = typeof(TEnum).IsDefined(typeof(FlagsAttribute), inherit: false);
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
    public static bool TryReadBoolean(JsonElement element, out bool value) => TryReadBoolean((object?)element, out value);

    /// <summary>Reads a 32-bit integer from JSON.</summary>
    public static bool TryReadInt32(JsonElement element, out int value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value))
        {
            return true;
        }

        return TryReadInt32((object?)element, out value);
    }

    /// <summary>Reads a 64-bit integer from JSON.</summary>
    public static bool TryReadInt64(JsonElement element, out long value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value))
        {
            return true;
        }

        return TryReadInt64((object?)element, out value);
    }

    /// <summary>Reads a double from JSON.</summary>
    public static bool TryReadDouble(JsonElement element, out double value) => TryReadDouble((object?)element, out value);

    /// <summary>Reads a single-precision number from JSON.</summary>
    public static bool TryReadSingle(JsonElement element, out float value) => TryReadSingle((object?)element, out value);

    /// <summary>Reads an 8-bit unsigned integer from JSON.</summary>
    public static bool TryReadByte(JsonElement element, out byte value) => TryReadByte((object?)element, out value);

    /// <summary>Reads an 8-bit signed integer from JSON.</summary>
    public static bool TryReadSByte(JsonElement element, out sbyte value) => TryReadSByte((object?)element, out value);

    /// <summary>Reads a 16-bit signed integer from JSON.</summary>
    public static bool TryReadInt16(JsonElement element, out short value) => TryReadInt16((object?)element, out value);

    /// <summary>Reads a 16-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt16(JsonElement element, out ushort value) => TryReadUInt16((object?)element, out value);

    /// <summary>Reads a 32-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt32(JsonElement element, out uint value) => TryReadUInt32((object?)element, out value);

    /// <summary>Reads a 64-bit unsigned integer from JSON.</summary>
    public static bool TryReadUInt64(JsonElement element, out ulong value) => TryReadUInt64((object?)element, out value);

    /// <summary>Reads one character from a JSON string of length 1.</summary>
    public static bool TryReadChar(JsonElement element, out char value) => TryReadChar((object?)element, out value);

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
    public static bool TryReadGuid(JsonElement element, out Guid value) => TryReadGuid((object?)element, out value);

    /// <summary>Reads a date and time from JSON.</summary>
    public static bool TryReadDateTime(JsonElement element, out DateTime value) => TryReadDateTime((object?)element, out value);

    /// <summary>Reads a date and time with offset from JSON.</summary>
    public static bool TryReadDateTimeOffset(JsonElement element, out DateTimeOffset value) => TryReadDateTimeOffset((object?)element, out value);

    /// <summary>Reads a time span from JSON.</summary>
    public static bool TryReadTimeSpan(JsonElement element, out TimeSpan value) => TryReadTimeSpan((object?)element, out value);

    /// <summary>Reads an enum member by name from JSON.</summary>
    public static bool TryReadEnum<TEnum>(JsonElement element, out TEnum value)
        where TEnum : struct, Enum
        => TryReadEnum((object?)element, out value);

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

    private static bool TryReadWholeNumber(object? raw, decimal min, decimal max, out decimal number)
    {
        if (!TryReadDecimal(raw, out number) || number != decimal.Truncate(number) || number < min || number > max)
        {
            number = 0;
            return false;
        }

        return true;
    }

    private static bool Assign(double source, out double value)
    {
        value = source;
        return true;
    }

    private static bool TryText(object? raw, out string text)
    {
        switch (raw)
        {
            case string s:
                text = s;
                return true;
            case JsonElement { ValueKind: JsonValueKind.String } element:
                text = element.GetString()!;
                return true;
            case JsonElement { ValueKind: JsonValueKind.Number } element:
                text = element.GetRawText();
                return true;
            default:
                text = null!;
                return false;
        }
    }

    private static string Describe(object? raw)
    {
        var text = raw switch
        {
            null => "missing",
            JsonElement element => element.GetRawText(),
            string s => "\"" + s + "\"",
            _ => Convert.ToString(raw, CultureInfo.InvariantCulture) ?? raw.GetType().Name,
        };

        return text.Length > 80 ? text.Substring(0, 77) + "..." : text;
    }
}
