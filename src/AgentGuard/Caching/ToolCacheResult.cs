namespace AgentGuard;

/// <summary>A tool result from <see cref="ToolResultCache.GetOrRunAsync(string, string?, System.Collections.Generic.IEnumerable{System.Collections.Generic.KeyValuePair{string, object?}}?, System.TimeSpan?, System.Func{System.Threading.CancellationToken, System.Threading.Tasks.ValueTask{object?}}, System.Threading.CancellationToken)"/>, and whether it came from the cache.</summary>
public readonly struct ToolCacheResult
{
    internal ToolCacheResult(object? value, bool cacheHit)
    {
        Value = value;
        CacheHit = cacheHit;
    }

    /// <summary>The tool's result.</summary>
    public object? Value { get; }

    /// <summary>Whether the tool did not run because the result was cached (or being computed by an identical call).</summary>
    public bool CacheHit { get; }
}
