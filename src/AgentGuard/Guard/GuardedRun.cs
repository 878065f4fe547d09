using System;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// One run (one task) of a hand-written agent under a <see cref="BudgetChatClient"/>: requests made in its async
/// flow are budgeted and recorded together. Dispose it to add its cost to <see cref="BudgetChatClient.Summary"/>.
/// A run begun while another run of the same guard is active in the same async flow is nested: it draws from the
/// outer run's remaining budget (see <see cref="BudgetTracker.Parent"/>) and, since its cost is part of the outer
/// run's, is not added to the summary on its own.
/// </summary>
public sealed class GuardedRun : IDisposable
{
    private static readonly AsyncLocal<GuardedRun?> CurrentRun = new();

    private readonly BudgetChatClient owner;
    private readonly GuardedRun? previous;
    private int disposed;

    internal GuardedRun(BudgetChatClient owner, BudgetTracker tracker, bool isNested)
    {
        IsNested = isNested;
        this.owner = owner;
        Tracker = tracker;
        previous = CurrentRun.Value;
        CurrentRun.Value = this;
    }

    /// <summary>The run's budget.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>What the run cost.</summary>
    public CostLedger Ledger => Tracker.Ledger;

    /// <summary>Whether the run was begun inside another run of the same guard and draws from its budget.</summary>
    public bool IsNested { get; }

    /// <summary>Whether the run succeeded; set it before disposing (a run that tripped a limit never succeeds).</summary>
    public bool Succeeded { get; set; }

    internal BudgetChatClient Owner => owner;

    /// <summary>The innermost run of <paramref name="guard"/> active in this async flow, if any.</summary>
    internal static GuardedRun? CurrentOf(BudgetChatClient guard)
    {
        for (var run = CurrentRun.Value; run is not null; run = run.previous)
        {
            if (ReferenceEquals(run.owner, guard) && Volatile.Read(ref run.disposed) == 0)
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>Ends the run and adds its cost to the client's summary (a nested run's cost is already in its outer run's).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (ReferenceEquals(CurrentRun.Value, this))
        {
            CurrentRun.Value = previous;
        }

        if (!IsNested)
        {
            owner.Summary.Add(Ledger, Succeeded && Tracker.TrippedLimit == BudgetLimit.None);
        }
    }
}
