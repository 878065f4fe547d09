using System.ComponentModel;
using System.Text.Json;

namespace AgentGuard;

/// <summary>Reads one raw tool argument (a <see cref="JsonElement"/> or a CLR value) into a typed value. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate bool ArgumentReader<T>(object? raw, out T value);

/// <summary>Reads one JSON value into a typed value. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate bool JsonValueReader<T>(JsonElement element, out T value);

/// <summary>What <see cref="ToolArguments.ReadMember"/> found. For generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum MemberRead
{
    /// <summary>The property is absent or <c>null</c>.</summary>
    Missing,

    /// <summary>The property was read.</summary>
    Read,

    /// <summary>The property has the wrong shape.</summary>
    Invalid,
}
