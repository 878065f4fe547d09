using System;
using System.Threading;

namespace AgentGuard;

/// <summary>Thread-safe counters of one tool: calls, cache hits, failures and time spent.</summary>
public sealed class ToolCounter
{
    private long calls;
    private long cacheHits;
    private long failures;
    private long ticks;

    /// <summary>Creates the counters of <paramref name="name"/>.</summary>
    public ToolCounter(string name)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The tool's name.</summary>
    public string Name { get; }

    /// <summary>Calls, cache hits included.</summary>
    public long Calls => Interlocked.Read(ref calls);

    /// <summary>Calls answered from the tool-result cache.</summary>
    public long CacheHits => Interlocked.Read(ref cacheHits);

    /// <summary>Calls that failed.</summary>
    public long Failures => Interlocked.Read(ref failures);

    /// <summary>Time spent in the tool.</summary>
    public TimeSpan TotalDuration => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

    internal void Record(in ToolCallRecord call)
    {
        Interlocked.Increment(ref calls);
        if (call.CacheHit)
        {
            Interlocked.Increment(ref cacheHits);
        }

        if (call.Failed)
        {
            Interlocked.Increment(ref failures);
        }

        Interlocked.Add(ref ticks, call.Duration.Ticks);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Calls} calls, {CacheHits} cache hits, {Failures} failures, {TotalDuration.TotalMilliseconds:0.#} ms";
}
