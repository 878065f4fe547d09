using System;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// The tokens of one model step, split into the kinds providers bill differently: uncached input, cached input
/// (read), cache writes, visible output and reasoning output; plus tool-result tokens, the part of the input that
/// came back from tools (already counted in the input, reported separately).
/// </summary>
public readonly struct TokenUsage : IEquatable<TokenUsage>
{
    /// <summary>Creates a usage record.</summary>
    public TokenUsage(long uncachedInputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens, long toolResultTokens = 0, bool isEstimated = false)
    {
        UncachedInputTokens = Math.Max(0, uncachedInputTokens);
        CachedInputTokens = Math.Max(0, cachedInputTokens);
        CacheWriteTokens = Math.Max(0, cacheWriteTokens);
        OutputTokens = Math.Max(0, outputTokens);
        ReasoningTokens = Math.Min(Math.Max(0, reasoningTokens), OutputTokens);
        ToolResultTokens = Math.Max(0, toolResultTokens);
        IsEstimated = isEstimated;
    }

    /// <summary>Input billed at the regular rate.</summary>
    public long UncachedInputTokens { get; }

    /// <summary>Input read from the provider's prompt cache.</summary>
    public long CachedInputTokens { get; }

    /// <summary>Input written to the provider's prompt cache.</summary>
    public long CacheWriteTokens { get; }

    /// <summary>All output, reasoning included (Microsoft.Extensions.AI's convention).</summary>
    public long OutputTokens { get; }

    /// <summary>Reasoning (thinking) tokens, a part of <see cref="OutputTokens"/>.</summary>
    public long ReasoningTokens { get; }

    /// <summary>Tool results sent back to the model in this step's input.</summary>
    public long ToolResultTokens { get; }

    /// <summary>Whether the counts were estimated from the text because the provider reported no usage.</summary>
    public bool IsEstimated { get; }

    /// <summary>All input: uncached, cached and cache writes.</summary>
    public long InputTokens => UncachedInputTokens + CachedInputTokens + CacheWriteTokens;

    /// <summary>Output that is not reasoning.</summary>
    public long VisibleOutputTokens => OutputTokens - ReasoningTokens;

    /// <summary>Input plus output.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// Reads a provider's usage report. Following Microsoft.Extensions.AI, <see cref="UsageDetails.InputTokenCount"/>
    /// includes cached input and <see cref="UsageDetails.OutputTokenCount"/> includes reasoning. Cache writes come
    /// from <see cref="UsageDetails.AdditionalCounts"/> under the names providers use
    /// (<c>CacheCreationInputTokens</c>, <c>cache_creation_input_tokens</c>, …) and are taken out of the input
    /// count so no token is billed twice. Returns <see langword="null"/> when the report has no token counts.
    /// </summary>
    public static TokenUsage? FromUsageDetails(UsageDetails? usage, long toolResultTokens = 0)
    {
        if (usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null && usage.TotalTokenCount is null))
        {
            return null;
        }

        var cached = usage.CachedInputTokenCount ?? Additional(usage, "CachedInputTokens", "CacheReadInputTokens", "cache_read_input_tokens", "InputTokenDetails.CachedTokenCount");
        var cacheWrite = Additional(usage, "CacheCreationInputTokens", "cache_creation_input_tokens", "CacheWriteInputTokens");
        var output = usage.OutputTokenCount ?? 0;
        var input = usage.InputTokenCount
            ?? (usage.TotalTokenCount is long total ? Math.Max(0, total - output) : 0);
        var reasoning = usage.ReasoningTokenCount ?? Additional(usage, "ReasoningTokens", "OutputTokenDetails.ReasoningTokenCount");

        var uncached = input - cached - cacheWrite;
        if (uncached < 0)
        {
            // The provider reported cache writes beside, not inside, the input count.
            uncached = Math.Max(0, input - cached);
        }

        return new TokenUsage(uncached, cached, cacheWrite, output, reasoning, toolResultTokens);
    }

    /// <summary>The sum of two usages; estimated if either is.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right)
        => new(
            left.UncachedInputTokens + right.UncachedInputTokens,
            left.CachedInputTokens + right.CachedInputTokens,
            left.CacheWriteTokens + right.CacheWriteTokens,
            left.OutputTokens + right.OutputTokens,
            left.ReasoningTokens + right.ReasoningTokens,
            left.ToolResultTokens + right.ToolResultTokens,
            left.IsEstimated || right.IsEstimated);

    /// <inheritdoc/>
    public bool Equals(TokenUsage other)
        => UncachedInputTokens == other.UncachedInputTokens
            && CachedInputTokens == other.CachedInputTokens
            && CacheWriteTokens == other.CacheWriteTokens
            && OutputTokens == other.OutputTokens
            && ReasoningTokens == other.ReasoningTokens
            && ToolResultTokens == other.ToolResultTokens
            && IsEstimated == other.IsEstimated;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TokenUsage other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
        => (int)(UncachedInputTokens ^ (CachedInputTokens << 7) ^ (CacheWriteTokens << 13) ^ (OutputTokens << 19) ^ (ReasoningTokens << 23) ^ (ToolResultTokens << 29));

    /// <summary>Equality.</summary>
    public static bool operator ==(TokenUsage left, TokenUsage right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TokenUsage left, TokenUsage right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString()
        => $"in {InputTokens} (uncached {UncachedInputTokens}, cached {CachedInputTokens}, cache write {CacheWriteTokens}), out {OutputTokens} (reasoning {ReasoningTokens}), tool results {ToolResultTokens}{(IsEstimated ? ", estimated" : string.Empty)}";

    private static long Additional(UsageDetails usage, params string[] names)
    {
        if (usage.AdditionalCounts is not { Count: > 0 } counts)
        {
            return 0;
        }

        foreach (var name in names)
        {
            if (counts.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
