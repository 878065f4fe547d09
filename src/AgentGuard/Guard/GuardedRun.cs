using System;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// One run (one task) under a budget: the requests a <see cref="BudgetChatClient"/> sees in the run's async flow,
/// or the loop of a generated agent. Dispose it to end the run and add its cost to
/// <see cref="BudgetChatClient.Summary"/>.
/// </summary>
/// <remarks>
/// Runs nest: a run begun while another is active in the same async flow — an agent called by another, directly
/// or as a tool, or a second <see cref="BudgetChatClient.BeginRun(BudgetPolicy?)"/> — draws from the outer run's
/// remaining budget (see <see cref="BudgetTracker.Parent"/>), so it can never spend more than the outer run has
/// left, and each of its steps is recorded in the outer run's ledger too, under the nested run's name
/// (<see cref="StepRecord.Agent"/>).
/// </remarks>
public sealed class GuardedRun : IDisposable
{
    private static readonly AsyncLocal<GuardedRun?> CurrentRun = new();
    private static readonly AsyncLocal<BudgetTracker?> AccountingCall = new();

    private readonly BudgetChatClient? owner;
    private readonly GuardedRun? previous;
    private readonly bool addToSummary;
    private int disposed;
    private IDisposable? ownedScope;

    internal GuardedRun(BudgetChatClient? owner, BudgetTracker tracker, GuardedRun? outer)
    {
        this.owner = owner;
        Tracker = tracker;
        Outer = outer;
        previous = CurrentRun.Value;
        CurrentRun.Value = this;

        // A run inside another run of the same guard is already in that run's cost; one of another guard is not.
        addToSummary = owner is not null;
        for (var run = outer; run is not null && addToSummary; run = run.Outer)
        {
            addToSummary = !ReferenceEquals(run.owner, owner);
        }
    }

    /// <summary>The innermost run active in this async flow, of any guard or agent; <see langword="null"/> outside every run.</summary>
    public static GuardedRun? Current
    {
        get
        {
            for (var run = CurrentRun.Value; run is not null; run = run.previous)
            {
                if (Volatile.Read(ref run.disposed) == 0)
                {
                    return run;
                }
            }

            return null;
        }
    }

    /// <summary>The run's budget.</summary>
    public BudgetTracker Tracker { get; }

    /// <summary>What the run cost.</summary>
    public CostLedger Ledger => Tracker.Ledger;

    /// <summary>The run this one was begun in and draws from, if any.</summary>
    public GuardedRun? Outer { get; }

    /// <summary>Whether the run was begun inside another run and draws from its budget.</summary>
    public bool IsNested => Outer is not null;

    /// <summary>Whether the run succeeded; set it before disposing (a run that tripped a limit never succeeds).</summary>
    public bool Succeeded { get; set; }

    /// <summary>
    /// How the run stands: <see cref="AgentRunStatus.Completed"/> while no limit has stopped it, else the status of
    /// the limit that did.
    /// </summary>
    public AgentRunStatus Status => AgentRunStatuses.FromLimit(Tracker.TrippedLimit);

    /// <summary>Why a limit stopped the run, if one did.</summary>
    public string? StopReason => Tracker.TrippedReason;

    // Set by a loop that accounts its own model calls (a generated agent's) while it makes one: a guard further down
    // the pipeline must not charge the call a second time.
    // Only while that loop's run is the innermost one: a run begun under the call (an agent a tool loop below it runs)
    // is charged by its own guard.
    internal static bool InAccountedCall => AccountingCall.Value is { } accounting && ReferenceEquals(accounting, Current?.Tracker);

    /// <summary>
    /// Makes <paramref name="budget"/> — a session's, a user's — the outer budget of the runs begun in this async flow
    /// until the returned scope is disposed: each of their steps must also fit it. The scope is not a run of any
    /// guard and adds nothing to a summary. Create the budget with <see cref="BudgetTracker.IsScope"/> set so that it
    /// adds no name to the path of the steps it records.
    /// </summary>
    public static GuardedRun BeginScope(BudgetTracker budget) => new(null, budget ?? throw new ArgumentNullException(nameof(budget)), Current);

    /// <summary>Whether a run of <paramref name="guard"/> is active in this async flow.</summary>
    internal static bool HasRunOf(BudgetChatClient guard)
    {
        for (var run = CurrentRun.Value; run is not null; run = run.previous)
        {
            if (ReferenceEquals(run.owner, guard) && Volatile.Read(ref run.disposed) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks the async flow, until disposed, as inside a model call that <paramref name="tracker"/> accounts for.</summary>
    internal static Scope EnterAccountedCall(BudgetTracker tracker)
    {
        var saved = AccountingCall.Value;
        AccountingCall.Value = tracker;
        return new Scope(() => AccountingCall.Value = saved);
    }

    /// <summary>
    /// Makes this run current again in an async flow that does not carry it — the next step of a stream enumerated
    /// after the call that began the run returned — until the returned scope is disposed.
    /// </summary>
    public IDisposable Activate()
    {
        var saved = CurrentRun.Value;
        CurrentRun.Value = this;
        return new Scope(() => CurrentRun.Value = saved);
    }

    // Disposed with the run: the budget context the run was begun for.
    internal void OnDispose(IDisposable scope) => ownedScope = scope;

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

        ownedScope?.Dispose();

        if (addToSummary)
        {
            owner!.Summary.Add(Ledger, Succeeded && Tracker.TrippedLimit == BudgetLimit.None);
        }
    }

    internal sealed class Scope : IDisposable
    {
        private readonly Action? restore;

        public Scope(Action restore) => this.restore = restore;

        public void Dispose() => restore?.Invoke();
    }
}
