namespace AgentGuard;

/// <summary>
/// A step's claim on the budget between <see cref="BudgetTracker.TryBeginStep"/> and
/// <see cref="BudgetTracker.CompleteStep"/> (or <see cref="BudgetTracker.CancelStep"/>).
/// </summary>
public readonly struct StepReservation
{
    internal StepReservation(string? modelId, decimal reservedUsd, long reservedTokens, long startTimestamp, bool isWrapUp = false, long inputTokens = 0)
    {
        InputTokens = inputTokens;
        IsWrapUp = isWrapUp;
        ModelId = modelId;
        ReservedUsd = reservedUsd;
        ReservedTokens = reservedTokens;
        StartTimestamp = startTimestamp;
    }

    /// <summary>The model requested for the step (the fallback past the soft limit).</summary>
    public string? ModelId { get; }

    /// <summary>The dollars held for the step until it completes.</summary>
    public decimal ReservedUsd { get; }

    /// <summary>The tokens held for the step until it completes.</summary>
    public long ReservedTokens { get; }

    /// <summary>Whether the step is the run's wrap-up: no tool calls allowed, the wrap-up's output cap, and nothing after it.</summary>
    public bool IsWrapUp { get; }

    internal long StartTimestamp { get; }

    // The input the reservation assumes: the estimate, or the last step's size when that is larger.
    internal long InputTokens { get; }
}
