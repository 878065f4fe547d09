using System;

namespace AgentGuard;

/// <summary>
/// Thrown by <see cref="BudgetChatClient"/> when a request would pass a limit of the run's budget, of the guard's
/// lifetime budget, or of a shared budget (<see cref="Scope"/>). A hand-written
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

    /// <summary>Creates the exception for a shared budget's refusal.</summary>
    public BudgetExceededException(BudgetLimit limit, string reason, CostLedger ledger, BudgetScope? scope)
        : this(limit, reason, ledger)
    {
        Scope = scope;
    }

    /// <summary>The shared budget (account, tenant, user, agent, session) that refused, when one did; see <see cref="SharedBudgetOptions"/>.</summary>
    public BudgetScope? Scope { get; }

    /// <summary>The limit that stopped the run.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>What the run cost up to here.</summary>
    public CostLedger Ledger { get; }
}
