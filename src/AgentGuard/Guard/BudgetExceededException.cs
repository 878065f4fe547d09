using System;

namespace AgentGuard;

/// <summary>
/// Thrown by <see cref="BudgetChatClient"/> when a request would pass a limit of the run's budget. A hand-written
/// agent's loop ends here; the ledger says what the run cost.
/// </summary>
public sealed class BudgetExceededException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public BudgetExceededException(BudgetLimit limit, string reason, CostLedger ledger)
        : base(reason)
    {
        Limit = limit;
        Ledger = ledger;
    }

    /// <summary>The limit that stopped the run.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>What the run cost up to here.</summary>
    public CostLedger Ledger { get; }
}
