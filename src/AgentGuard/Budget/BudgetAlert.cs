namespace AgentGuard;

/// <summary>What a budget alert is about.</summary>
public enum BudgetAlertKind
{
    /// <summary>Spend crossed a fraction of the hard limit (<see cref="BudgetPolicy.AlertThresholds"/>).</summary>
    Threshold,

    /// <summary>Spend reached the soft limit: later steps use the fallback model.</summary>
    SoftLimitReached,

    /// <summary>A limit stopped the run.</summary>
    LimitReached,

    /// <summary>
    /// Raised when a run (a generated agent's <c>RunAsync</c>) or a guard (<see cref="BudgetChatClient"/>) starts
    /// with a hard dollar limit but no <see cref="BudgetPolicy.MaxOutputTokensPerStep"/>: a step is reserved without
    /// its output, so one step can pass the hard limit by an unbounded amount.
    /// </summary>
    UnboundedStepCost,
}

/// <summary>An alert raised by a <see cref="BudgetTracker"/>.</summary>
public sealed class BudgetAlert
{
    internal BudgetAlert(BudgetAlertKind kind, BudgetLimit limit, decimal spentUsd, decimal? limitUsd, double? threshold, string message, CostLedger ledger)
    {
        Kind = kind;
        Limit = limit;
        SpentUsd = spentUsd;
        LimitUsd = limitUsd;
        Threshold = threshold;
        Message = message;
        Ledger = ledger;
    }

    /// <summary>What the alert is about.</summary>
    public BudgetAlertKind Kind { get; }

    /// <summary>The limit concerned.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>Spend so far.</summary>
    public decimal SpentUsd { get; }

    /// <summary>The dollar limit concerned, if any.</summary>
    public decimal? LimitUsd { get; }

    /// <summary>The fraction of the hard limit crossed, for threshold alerts.</summary>
    public double? Threshold { get; }

    /// <summary>A sentence for a log or a pager.</summary>
    public string Message { get; }

    /// <summary>The run's ledger at the time of the alert.</summary>
    public CostLedger Ledger { get; }

    /// <inheritdoc/>
    public override string ToString() => Message;
}
