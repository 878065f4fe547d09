using System;
using System.Globalization;
using System.Text.Json;

namespace AgentGuard;

/// <summary>Readers of one raw argument — a <see cref="JsonElement"/> or a CLR value a client already parsed — into a scalar.</summary>
public static partial class ToolArguments
{
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
            case JsonElement element:
                return TryReadBoolean(element, out value);
            default:
                value = false;
                return TryText(raw, out var text) && bool.TryParse(text, out value);
        }
    }

    /// <summary>Reads a 32-bit integer; a whole number written as <c>3.0</c> is accepted.</summary>
    public static bool TryReadInt32(object? raw, out int value)
        => raw is JsonElement element
            ? TryReadInt32(element, out value)
            : TryReadWholeNumber(raw, int.MinValue, int.MaxValue, static number => (int)number, out value);

    /// <summary>Reads a 64-bit integer.</summary>
    public static bool TryReadInt64(object? raw, out long value)
        => raw is JsonElement element
            ? TryReadInt64(element, out value)
            : TryReadWholeNumber(raw, long.MinValue, long.MaxValue, static number => (long)number, out value);

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
        => raw is JsonElement element
            ? TryReadByte(element, out value)
            : TryReadWholeNumber(raw, byte.MinValue, byte.MaxValue, static number => (byte)number, out value);

    /// <summary>Reads an 8-bit signed integer (-128 to 127).</summary>
    public static bool TryReadSByte(object? raw, out sbyte value)
        => raw is JsonElement element
            ? TryReadSByte(element, out value)
            : TryReadWholeNumber(raw, sbyte.MinValue, sbyte.MaxValue, static number => (sbyte)number, out value);

    /// <summary>Reads a 16-bit signed integer (-32768 to 32767).</summary>
    public static bool TryReadInt16(object? raw, out short value)
        => raw is JsonElement element
            ? TryReadInt16(element, out value)
            : TryReadWholeNumber(raw, short.MinValue, short.MaxValue, static number => (short)number, out value);

    /// <summary>Reads a 16-bit unsigned integer (0 to 65535).</summary>
    public static bool TryReadUInt16(object? raw, out ushort value)
        => raw is JsonElement element
            ? TryReadUInt16(element, out value)
            : TryReadWholeNumber(raw, ushort.MinValue, ushort.MaxValue, static number => (ushort)number, out value);

    /// <summary>Reads a 32-bit unsigned integer (0 to 4294967295).</summary>
    public static bool TryReadUInt32(object? raw, out uint value)
        => raw is JsonElement element
            ? TryReadUInt32(element, out value)
            : TryReadWholeNumber(raw, uint.MinValue, uint.MaxValue, static number => (uint)number, out value);

    /// <summary>Reads a 64-bit unsigned integer (0 to 18446744073709551615).</summary>
    public static bool TryReadUInt64(object? raw, out ulong value)
        => raw is JsonElement element
            ? TryReadUInt64(element, out value)
            : TryReadWholeNumber(raw, ulong.MinValue, ulong.MaxValue, static number => (ulong)number, out value);

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
        => TryReadTyped(raw, static (string text, out Guid parsed) => Guid.TryParse(text, out parsed), out value);

    /// <summary>Reads an ISO 8601 date and time.</summary>
    public static bool TryReadDateTime(object? raw, out DateTime value)
        => TryReadTyped(raw, static (string text, out DateTime parsed) => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out parsed), out value);

    /// <summary>Reads an ISO 8601 date and time with offset.</summary>
    public static bool TryReadDateTimeOffset(object? raw, out DateTimeOffset value)
        => TryReadTyped(raw, static (string text, out DateTimeOffset parsed) => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out parsed), out value);

    /// <summary>Reads a time span (<c>c</c> format, e.g. <c>01:30:00</c>).</summary>
    public static bool TryReadTimeSpan(object? raw, out TimeSpan value)
        => TryReadTyped(raw, static (string text, out TimeSpan parsed) => TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out parsed), out value);

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
        return text is not null && TryReadEnumName(text, out value);
    }

    // An enum member by name, or a [Flags] combination of names; see TryReadEnum.
    private static bool TryReadEnumName<TEnum>(string text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
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

    // The one reader behind every integer width: a whole number (3 or 3.0) within [min, max], narrowed to the width.
    private static bool TryReadWholeNumber<TInteger>(object? raw, decimal min, decimal max, Func<decimal, TInteger> narrow, out TInteger value)
        where TInteger : struct
    {
        if (!TryReadDecimal(raw, out var number) || number != decimal.Truncate(number) || number < min || number > max)
        {
            value = default;
            return false;
        }

        value = narrow(number);
        return true;
    }

    private delegate bool TextParser<TValue>(string text, out TValue value);

    // The reader behind every value with a text form (Guid, dates, time spans): the CLR value itself, or its text parsed.
    private static bool TryReadTyped<TValue>(object? raw, TextParser<TValue> parse, out TValue value)
        where TValue : struct
    {
        if (raw is TValue typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return TryText(raw, out var text) && parse(text, out value);
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
}
