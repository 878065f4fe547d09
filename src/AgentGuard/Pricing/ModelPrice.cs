using System;

namespace AgentGuard;

/// <summary>
/// What a model charges, in US dollars per million tokens of each kind. A rate left unset falls back as the
/// providers bill it: cached input and cache writes at the input rate, reasoning at the output rate.
/// </summary>
public sealed class ModelPrice
{
    /// <summary>Regular (uncached) input, USD per million tokens.</summary>
    public decimal InputPerMillionUsd { get; init; }

    /// <summary>Input read from the provider's prompt cache, USD per million tokens; the input rate when not set.</summary>
    public decimal? CachedInputPerMillionUsd { get; init; }

    /// <summary>Input written to the provider's prompt cache (Anthropic), USD per million tokens; the input rate when not set.</summary>
    public decimal? CacheWritePerMillionUsd { get; init; }

    /// <summary>Output, USD per million tokens.</summary>
    public decimal OutputPerMillionUsd { get; init; }

    /// <summary>Reasoning (thinking) output, USD per million tokens; the output rate when not set.</summary>
    public decimal? ReasoningPerMillionUsd { get; init; }

    /// <summary>
    /// The cost of one step: uncached input, cached input, cache writes, visible output and reasoning tokens,
    /// each at its own rate (the seeds' per-step cost formula). Tool-result tokens are part of the input and
    /// are not charged twice.
    /// </summary>
    public decimal CostOf(in TokenUsage usage)
    {
        const decimal PerMillion = 1_000_000m;
        var cost = usage.UncachedInputTokens * InputPerMillionUsd
            + usage.CachedInputTokens * (CachedInputPerMillionUsd ?? InputPerMillionUsd)
            + usage.CacheWriteTokens * (CacheWritePerMillionUsd ?? InputPerMillionUsd)
            + usage.VisibleOutputTokens * OutputPerMillionUsd
            + usage.ReasoningTokens * (ReasoningPerMillionUsd ?? OutputPerMillionUsd);
        return cost / PerMillion;
    }

    /// <summary>The most a step can cost with <paramref name="inputTokens"/> uncached input and <paramref name="maxOutputTokens"/> output.</summary>
    public decimal WorstCaseStepCost(long inputTokens, long maxOutputTokens)
    {
        var outputRate = Math.Max(OutputPerMillionUsd, ReasoningPerMillionUsd ?? OutputPerMillionUsd);
        var inputRate = Math.Max(InputPerMillionUsd, CacheWritePerMillionUsd ?? InputPerMillionUsd);
        return ((inputTokens * inputRate) + (maxOutputTokens * outputRate)) / 1_000_000m;
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"in ${InputPerMillionUsd}/M, cached ${CachedInputPerMillionUsd ?? InputPerMillionUsd}/M, out ${OutputPerMillionUsd}/M";
}
