using System;

namespace AgentGuard.Testing;

/// <summary>
/// What a suite of agent tasks costs, measured from one ledger per task: the numbers a cost baseline holds and a
/// later run is compared with.
/// </summary>
public sealed class CostBaselineMetrics
{
    /// <summary>The suite's name.</summary>
    public string Suite { get; set; } = CostBaseline.DefaultSuite;

    /// <summary>The number of tasks (ledgers) measured.</summary>
    public int Tasks { get; set; }

    /// <summary>What all tasks cost together, in US dollars.</summary>
    public decimal TotalCostUsd { get; set; }

    /// <summary>Mean cost per task, in US dollars.</summary>
    public decimal MeanCostPerTaskUsd { get; set; }

    /// <summary>95th-percentile cost per task (nearest rank), in US dollars.</summary>
    public decimal P95CostPerTaskUsd { get; set; }

    /// <summary>The most one task cost, in US dollars.</summary>
    public decimal MaxCostPerTaskUsd { get; set; }

    /// <summary>Mean model calls per task.</summary>
    public double MeanStepsPerTask { get; set; }

    /// <summary>Cached input tokens ÷ all input tokens, over every task; 0 without input.</summary>
    public double CacheHitRate { get; set; }

    /// <summary>Input tokens billed at the regular rate, all tasks.</summary>
    public long UncachedInputTokens { get; set; }

    /// <summary>Input tokens read from the prompt cache, all tasks.</summary>
    public long CachedInputTokens { get; set; }

    /// <summary>Input tokens written to the prompt cache, all tasks.</summary>
    public long CacheWriteTokens { get; set; }

    /// <summary>Output tokens (reasoning included), all tasks.</summary>
    public long OutputTokens { get; set; }

    /// <summary>Reasoning tokens, all tasks.</summary>
    public long ReasoningTokens { get; set; }

    /// <summary>Tool-result tokens sent back to the model, all tasks.</summary>
    public long ToolResultTokens { get; set; }

    /// <inheritdoc/>
    public override string ToString()
        => FormattableString.Invariant($"{Suite}: {Tasks} tasks, mean ${MeanCostPerTaskUsd:0.######}, p95 ${P95CostPerTaskUsd:0.######}, max ${MaxCostPerTaskUsd:0.######}, {MeanStepsPerTask:0.##} steps, cache hit rate {CacheHitRate:P1}");
}
