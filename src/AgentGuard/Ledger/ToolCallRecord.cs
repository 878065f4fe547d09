using System;

namespace AgentGuard;

/// <summary>One tool call of a run.</summary>
public readonly struct ToolCallRecord
{
    /// <summary>Creates a tool-call record.</summary>
    public ToolCallRecord(string name, TimeSpan duration, bool cacheHit, bool failed, string? error = null)
    {
        Name = name;
        Duration = duration;
        CacheHit = cacheHit;
        Failed = failed;
        Error = error;
    }

    /// <summary>The tool's name.</summary>
    public string Name { get; }

    /// <summary>How long the call took (close to zero for a cache hit).</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the result came from the tool-result cache without running the tool.</summary>
    public bool CacheHit { get; }

    /// <summary>Whether the call failed (the tool threw, or the call was refused).</summary>
    public bool Failed { get; }

    /// <summary>Why the call failed, if it did.</summary>
    public string? Error { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Name} {(CacheHit ? "cache hit" : Failed ? "failed: " + Error : "ran")} in {Duration.TotalMilliseconds:0.###} ms";
}
