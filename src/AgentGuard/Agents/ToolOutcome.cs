namespace AgentGuard;

/// <summary>What a tool call produced: a result for the model, or an error the model is told about.</summary>
public readonly struct ToolOutcome
{
    private ToolOutcome(object? result, string? error, bool cacheHit, bool isUnknownTool)
    {
        Result = result;
        Error = error;
        CacheHit = cacheHit;
        IsUnknownTool = isUnknownTool;
    }

    /// <summary>The tool's result (serialised for the model).</summary>
    public object? Result { get; }

    /// <summary>Why the call failed, as the model will read it; <see langword="null"/> on success.</summary>
    public string? Error { get; }

    /// <summary>Whether the result came from the tool-result cache.</summary>
    public bool CacheHit { get; }

    /// <summary>Whether the model asked for a tool the agent does not have.</summary>
    public bool IsUnknownTool { get; }

    /// <summary>Whether the call failed.</summary>
    public bool IsError => Error is not null;

    /// <summary>A successful result.</summary>
    public static ToolOutcome Success(object? result, bool cacheHit = false) => new(result, null, cacheHit, false);

    /// <summary>A failure the model is told about; the tool's retry count goes up.</summary>
    public static ToolOutcome Failure(string error) => new(null, error, false, false);

    private const string UnknownToolPrefix = "There is no tool named '";
    private const string UnknownToolSuffix = "'.";

    /// <summary>The model asked for a tool that does not exist.</summary>
    public static ToolOutcome UnknownTool(string name) => new(null, UnknownToolPrefix + name + UnknownToolSuffix, false, true);

    // Whether error is the one UnknownTool(name) gives; compared in place, so nothing is allocated.
    internal static bool IsUnknownToolError(string name, string? error)
        => error is not null
            && error.Length == UnknownToolPrefix.Length + name.Length + UnknownToolSuffix.Length
            && error.StartsWith(UnknownToolPrefix, System.StringComparison.Ordinal)
            && error.EndsWith(UnknownToolSuffix, System.StringComparison.Ordinal)
            && string.CompareOrdinal(error, UnknownToolPrefix.Length, name, 0, name.Length) == 0;
}
