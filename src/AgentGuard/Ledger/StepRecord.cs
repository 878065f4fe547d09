using System;

namespace AgentGuard;

/// <summary>One model call of a run: which model answered, the tokens of each kind it billed, and what it cost.</summary>
public readonly struct StepRecord
{
    /// <summary>Creates a step record.</summary>
    public StepRecord(int index, string? modelId, TokenUsage usage, decimal costUsd, TimeSpan duration, bool isPriced = true, string? agent = null, bool isWrapUp = false)
    {
        Agent = agent;
        IsWrapUp = isWrapUp;
        Index = index;
        ModelId = modelId;
        Usage = usage;
        CostUsd = costUsd;
        Duration = duration;
        IsPriced = isPriced;
    }

    /// <summary>The step's position in the ledger, from 1.</summary>
    public int Index { get; }

    /// <summary>The model that answered (as the response reported it, else as requested).</summary>
    public string? ModelId { get; }

    /// <summary>The tokens of the step, by kind.</summary>
    public TokenUsage Usage { get; }

    /// <summary>What the step cost in US dollars.</summary>
    public decimal CostUsd { get; }

    /// <summary>How long the model call took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the token counts were estimated because the provider reported none.</summary>
    public bool IsEstimated => Usage.IsEstimated;

    /// <summary>Whether a price was known for the model; when not, <see cref="CostUsd"/> is 0 and the ledger says so.</summary>
    public bool IsPriced { get; }

    /// <summary>
    /// For a step made by a nested run (an agent called by this one, directly or as a tool), the path of agent names
    /// from this run down to the one that made it, such as <c>researcher</c> or <c>researcher/search</c>;
    /// <see langword="null"/> for the run's own steps.
    /// </summary>
    public string? Agent { get; }

    /// <summary>Whether the step was the run's wrap-up (no tool calls allowed, the wrap-up's output cap), made before a limit stopped it.</summary>
    public bool IsWrapUp { get; }

    /// <inheritdoc/>
    public override string ToString()
        => $"step {Index}{(Agent is null ? string.Empty : " by " + Agent)} {ModelId}: {Usage} → ${CostUsd:0.######}{(IsPriced ? string.Empty : " (no price known)")}{(IsWrapUp ? " (wrap-up)" : string.Empty)}";
}
