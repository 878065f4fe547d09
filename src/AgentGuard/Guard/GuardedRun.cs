using System;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// One run (one task) of a hand-written agent under a <see cref="BudgetChatClient"/>: requests made in its async
/// flow are budgeted and recorded together. Dispose it to add its cost to <see cref="BudgetChatClient.Summary"/>.
/// </summary>
public sealed class GuardedRun : IDisposable
{
    private static readonly AsyncLocal<GuardedRun?> CurrentRun = new();

    private readonly BudgetChatClient owner;
    private readonly GuardedRun? previous;
    private int disposed;

    internal GuardedRun(BudgetChatClient owner, BudgetTracker tracker)
    {
        this.owner = owner;
        Tracker = tracker;
        previous = CurrentRun.Value;
        CurrentRun.Value = this;
    }

    /// <summary>The run's budget.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>What the run cost.</summary>
    public CostLedger Ledger => Tracker.Ledger;

    /// <summary>Whether the run succeeded; set it before disposing (a run that tripped a limit never succeeds).</summary>
    public bool Succeeded { get; set; }

    internal static GuardedRun? Current => CurrentRun.Value;

    internal BudgetChatClient Owner => owner;

    /// <summary>Ends the run and adds its cost to the client's summary.</summary>
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

        owner.Summary.Add(Ledger, Succeeded && Tracker.TrippedLimit == BudgetLimit.None);
    }
}
