using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.Text.Json;

namespace AgentGuard;

/// <summary>
/// Reads a tool argument as the model sent it — a <see cref="JsonElement"/>, or a CLR value when a client has
/// already parsed it — into a typed value without reflection. Generated tools call these; each returns
/// <see langword="false"/> for a value of the wrong shape, so the tool is not called and the model is told.
/// For generated code: the <c>[Budget]</c> generator calls these, and they are not meant to be called by hand.
/// </summary>
/// <remarks>
/// Split by reader family: reading from the arguments dictionary (here), from a raw CLR or JSON value
/// (<c>ToolArguments.Scalars.cs</c>) and from a <see cref="JsonElement"/> (<c>ToolArguments.Json.cs</c>).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class ToolArguments
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
