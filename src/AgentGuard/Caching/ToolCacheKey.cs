using System;
using System.Globalization;

namespace AgentGuard;

/// <summary>
/// The 128-bit identity of a tool call: XxHash128 of the canonical JSON of the partition, the tool's name and
/// version, and its arguments. Equal for calls whose arguments differ only in property order or string escaping;
/// different for every pair of calls the tool can tell apart.
/// </summary>
public readonly struct ToolCacheKey : IEquatable<ToolCacheKey>
{
    internal ToolCacheKey(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The upper 64 bits.</summary>
    public ulong High { get; }

    /// <summary>The lower 64 bits.</summary>
    public ulong Low { get; }

    /// <inheritdoc/>
    public bool Equals(ToolCacheKey other) => High == other.High && Low == other.Low;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ToolCacheKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Low ^ (int)(Low >> 32) ^ (int)High;

    /// <summary>Equality.</summary>
    public static bool operator ==(ToolCacheKey left, ToolCacheKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(ToolCacheKey left, ToolCacheKey right) => !left.Equals(right);

    /// <summary>32 hex digits, for an external store's key.</summary>
    public override string ToString() => High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x16", CultureInfo.InvariantCulture);
}
