using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Enforces a <see cref="BudgetPolicy"/> over a run (or, shared, over many concurrent steps): before each step it
/// checks that what is spent plus what is reserved for steps in flight plus this step's reservation fits; after
/// the step it records the real cost in the ledger and releases the reservation. A refused step or tool call
/// comes back as a <see cref="BudgetDecision"/>; the tracker never throws from inside a loop.
/// </summary>
/// <remarks>Thread-safe. A shared tracker overshoots its hard limit by at most the difference between real and
/// reserved cost of the steps in flight.</remarks>
public sealed partial class BudgetTracker
{
    private readonly object gate = new();
    private readonly AgentGuardOptions options;
    private readonly Dictionary<string, int> toolFailures = new(StringComparer.Ordinal);
    private readonly bool[] thresholdsRaised;
    private readonly BudgetTracker? parent;
    private decimal spent;
    private decimal reservedUsd;
    private long usedTokens;
    private long reservedTokens;
    private long lastStepTokens;
    private int stepsStarted;
    private int toolCallsStarted;
    private bool softLimitRaised;
    private BudgetLimit tripped;
    private string? trippedReason;
    private int escalated;
    private bool wrappedUp;

    /// <summary>Creates a tracker for <paramref name="policy"/>, recording into <paramref name="ledger"/>.</summary>
    /// <param name="policy">The limits.</param>
    /// <param name="options">Prices, callbacks and telemetry; defaults when <see langword="null"/>.</param>
    /// <param name="ledger">Where steps and tool calls are recorded; a new ledger when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is invalid (see <see cref="BudgetPolicy.Validate"/>).</exception>
    public BudgetTracker(BudgetPolicy policy, AgentGuardOptions? options = null, CostLedger? ledger = null)
    {
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        policy.Validate();
        this.options = options ?? new AgentGuardOptions();
        Ledger = ledger ?? new CostLedger();
        thresholdsRaised = new bool[policy.AlertThresholds.Count];
        if (this.options.WrapUp is { Enabled: true, MaxOutputTokens: <= 0 } wrapUp)
        {
            throw new ArgumentOutOfRangeException(nameof(options), wrapUp.MaxOutputTokens, "AgentGuardOptions.WrapUp.MaxOutputTokens must be positive (a model cannot answer in 0 tokens); turn the wrap-up off with WrapUp.Enabled = false.");
        }
    }

    /// <summary>
    /// Creates a tracker that draws from <paramref name="parent"/>: every step and tool call must also fit the parent's
    /// budget (and its parents'), and is recorded in its ledger too — a run nested in another, or a run inside a
    /// session's or a user's budget.
    /// </summary>
    /// <param name="policy">The limits.</param>
    /// <param name="options">Prices, callbacks and telemetry; defaults when <see langword="null"/>.</param>
    /// <param name="ledger">Where steps and tool calls are recorded; a new ledger when <see langword="null"/>.</param>
    /// <param name="parent">The budget this one draws from; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="policy"/> is invalid (see <see cref="BudgetPolicy.Validate"/>).</exception>
    public BudgetTracker(BudgetPolicy policy, AgentGuardOptions? options, CostLedger? ledger, BudgetTracker? parent)
        : this(policy, options, ledger)
    {
        this.parent = parent;
    }

    /// <summary>
    /// The budget this one draws from: the outer run's, for a run begun inside another run of the same
    /// <see cref="BudgetChatClient"/>; otherwise <see langword="null"/>. Every step must fit both budgets and is
    /// recorded in both ledgers.
    /// </summary>
    public BudgetTracker? Parent => parent;

    /// <summary>The limits enforced.</summary>
    public BudgetPolicy Policy { get; }

    /// <summary>Where steps and tool calls are recorded.</summary>
    public CostLedger Ledger { get; }

    /// <summary>Dollars spent by completed steps.</summary>
    public decimal SpentUsd
    {
        get
        {
            lock (gate)
            {
                return spent;
            }
        }
    }

    /// <summary>Tokens used by completed steps.</summary>
    public long UsedTokens => Interlocked.Read(ref usedTokens);

    /// <summary>Whether spend has reached the soft limit (this run's or an outer run's), so later steps use the fallback model.</summary>
    public bool IsPastSoftLimit => Volatile.Read(ref softLimitRaised) || parent?.IsPastSoftLimit == true;

    /// <summary>The first limit that refused work, or <see cref="BudgetLimit.None"/>.</summary>
    public BudgetLimit TrippedLimit
    {
        get
        {
            lock (gate)
            {
                return tripped;
            }
        }
    }

    /// <summary>Why <see cref="TrippedLimit"/> refused, if it did.</summary>
    public string? TrippedReason
    {
        get
        {
            lock (gate)
            {
                return trippedReason;
            }
        }
    }

    /// <summary>
    /// Checks before a run starts that every dollar limit can be measured: a USD budget over a model with no known
    /// price is an error now, not a silent $0 later.
    /// </summary>
    /// <exception cref="UnknownModelPriceException">The policy has a dollar limit and a model it may use has no price.</exception>
    public void EnsurePriced(string? modelId)
    {
        // An outer run's dollar limit counts too: a nested run's steps are charged to it at this run's prices.
        if (!HasUsdLimits)
        {
            return;
        }

        options.Prices.GetPrice(modelId);
        if (Policy.FallbackModelId is not null && Policy.SoftLimitUsd is not null)
        {
            options.Prices.GetPrice(Policy.FallbackModelId);
        }
    }

    /// <summary>The model to request: the fallback once the soft limit is passed, else <paramref name="requestedModelId"/>.</summary>
    public string? ResolveModel(string? requestedModelId)
        => IsPastSoftLimit && Policy.FallbackModelId is not null ? Policy.FallbackModelId : requestedModelId;

    /// <summary>
    /// Records a completed step: prices <paramref name="usage"/> for the model that answered (else the one
    /// requested), releases the reservation, raises threshold and soft-limit alerts.
    /// </summary>
    public StepRecord CompleteStep(in StepReservation reservation, string? respondedModelId, in TokenUsage usage)
    {
        var record = CompleteStepCore(reservation, respondedModelId, usage, nestedAgent: null);
        AgentGuardTelemetry.RecordStep(record, reservation.ModelId, options.AgentName);
        return record;
    }

    private StepRecord CompleteStepCore(in StepReservation reservation, string? respondedModelId, in TokenUsage usage, string? nestedAgent)
    {
        var modelId = string.IsNullOrWhiteSpace(respondedModelId) ? reservation.ModelId : respondedModelId;
        var isPriced = options.Prices.TryGetPrice(modelId, out var price)
            || (modelId != reservation.ModelId && options.Prices.TryGetPrice(reservation.ModelId, out price));
        var cost = isPriced ? price.CostOf(usage) : 0m;
        var duration = Elapsed(reservation.StartTimestamp);

        var record = Ledger.RecordStep(modelId, usage, cost, duration, isPriced, nestedAgent, reservation.IsWrapUp);
        List<BudgetAlert>? alerts = null;
        lock (gate)
        {
            spent += cost;
            reservedUsd = Math.Max(0, reservedUsd - reservation.ReservedUsd);
            usedTokens += usage.TotalTokens;
            if (nestedAgent is null)
            {
                // What this run's own next step resends; a nested run's steps say nothing about it.
                lastStepTokens = usage.TotalTokens;
            }
            reservedTokens = Math.Max(0, reservedTokens - reservation.ReservedTokens);

            if (Policy.HardLimitUsd is decimal hard)
            {
                var thresholds = Policy.AlertThresholds;
                for (var i = 0; i < thresholds.Count; i++)
                {
                    if (!thresholdsRaised[i] && spent >= hard * (decimal)thresholds[i])
                    {
                        thresholdsRaised[i] = true;
                        (alerts ??= new()).Add(new BudgetAlert(
                            BudgetAlertKind.Threshold,
                            BudgetLimit.HardCost,
                            spent,
                            hard,
                            thresholds[i],
                            $"{options.AgentName ?? "The run"} has spent ${spent:0.######}, {thresholds[i] * 100:0.#}% of its ${hard} hard limit.",
                            Ledger));
                    }
                }
            }

            if (!softLimitRaised && Policy.SoftLimitUsd is decimal soft && spent >= soft)
            {
                Volatile.Write(ref softLimitRaised, true);
                (alerts ??= new()).Add(new BudgetAlert(
                    BudgetAlertKind.SoftLimitReached,
                    BudgetLimit.SoftCost,
                    spent,
                    soft,
                    null,
                    Policy.FallbackModelId is null
                        ? $"{options.AgentName ?? "The run"} has spent ${spent:0.######}, past its ${soft} soft limit."
                        : $"{options.AgentName ?? "The run"} has spent ${spent:0.######}, past its ${soft} soft limit; later steps use {Policy.FallbackModelId}.",
                    Ledger));
            }
        }

        if (alerts is not null)
        {
            foreach (var alert in alerts)
            {
                Raise(alert);
            }
        }

        // The outer run pays for the step too (recorded once in telemetry, by the run that made it).
        parent?.CompleteStepCore(reservation, respondedModelId, usage, NestedPath(nestedAgent));
        return record;
    }

    /// <summary>
    /// What the run may still spend under each limit — its own and, nested, its outer runs' — after what is spent and
    /// what is held for steps in flight.
    /// </summary>
    public BudgetRemaining GetRemaining()
    {
        BudgetRemaining here;
        lock (gate)
        {
            here = new BudgetRemaining(
                Policy.MaxSteps - stepsStarted,
                Policy.MaxToolCalls - toolCallsStarted,
                Policy.MaxTotalTokens - usedTokens - reservedTokens,
                Policy.HardLimitUsd - spent - reservedUsd);
        }

        return parent is null ? here : here.Min(parent.GetRemaining());
    }

    /// <summary>The output cap of this run's wrap-up: the wrap-up's own, never above the per-step cap; <see langword="null"/> when it is off.</summary>
    internal static int? WrapUpCap(WrapUpOptions wrapUp, BudgetPolicy policy)
        => wrapUp.ReservedOutputTokens is int cap
            ? (policy.MaxOutputTokensPerStep is int perStep && perStep < cap ? perStep : cap)
            : null;

    /// <summary>The options the budget was created with: prices, callbacks, the agent's name.</summary>
    internal AgentGuardOptions Options => options;

    /// <summary>The name this run goes by in an outer run's ledger (<see cref="StepRecord.Agent"/>).</summary>
    internal string RunName => options.AgentName ?? "nested run";

    /// <summary>
    /// Whether this budget is a scope around runs (a session's, a tenant's) rather than a run: it adds no name to the
    /// path of nested steps (<see cref="StepRecord.Agent"/>).
    /// </summary>
    public bool IsScope { get; init; }

    private string? NestedPath(string? nestedAgent) => IsScope ? nestedAgent : nestedAgent is null ? RunName : RunName + "/" + nestedAgent;

    /// <summary>What the budget has used so far: dollars, tokens, model calls and tool calls.</summary>
    public BudgetUsage GetUsage()
    {
        lock (gate)
        {
            return new BudgetUsage(spent, usedTokens, stepsStarted, toolCallsStarted);
        }
    }

    /// <summary>
    /// Starts the budget from what earlier runs used — a session's budget carried across runs — before any step of
    /// its own: past its soft limit it requests the fallback model at once, and alerts already passed are not raised again.
    /// </summary>
    public void Restore(in BudgetUsage usage)
    {
        lock (gate)
        {
            spent = usage.SpentUsd;
            usedTokens = usage.Tokens;
            stepsStarted = usage.Steps;
            toolCallsStarted = usage.ToolCalls;
            if (Policy.SoftLimitUsd is decimal soft && spent >= soft)
            {
                Volatile.Write(ref softLimitRaised, true);
            }

            if (Policy.HardLimitUsd is decimal hard)
            {
                for (var i = 0; i < thresholdsRaised.Length; i++)
                {
                    thresholdsRaised[i] = spent >= hard * (decimal)Policy.AlertThresholds[i];
                }
            }
        }
    }

    /// <summary>Releases the reservation of a step that failed before the provider reported usage.</summary>
    public void CancelStep(in StepReservation reservation)
    {
        lock (gate)
        {
            reservedUsd = Math.Max(0, reservedUsd - reservation.ReservedUsd);
            reservedTokens = Math.Max(0, reservedTokens - reservation.ReservedTokens);
        }

        parent?.CancelStep(reservation);
    }

    /// <summary>
    /// Asks to run a tool: refused when the run has made its <see cref="BudgetPolicy.MaxToolCalls"/>, or when the
    /// tool has already failed <c>1 + MaxRetriesPerTool</c> times in the run.
    /// </summary>
    public BudgetDecision TryBeginToolCall(string toolName) => TryBeginToolCall(toolName, enforceRetries: true);

    // The guard counts the calls a tool loop above it will run; it cannot see their failures until their results come
    // back, so it does not enforce the retry limit.
    internal BudgetDecision TryBeginToolCall(string toolName, bool enforceRetries)
    {
        var decision = BeginToolCallLocked(toolName, enforceRetries, out var tripAlert);
        RaiseIfAny(tripAlert);
        if (!decision.IsAllowed || parent is null)
        {
            return decision;
        }

        var outer = parent.TryBeginToolCall(toolName, enforceRetries);
        if (!outer.IsAllowed)
        {
            lock (gate)
            {
                toolCallsStarted--;
                if (outer.Limit == BudgetLimit.ToolCalls && tripped == BudgetLimit.None)
                {
                    // The outer run's tool calls are used up: this run's are too (the outer run raised the alert).
                    tripped = outer.Limit;
                    trippedReason = outer.Reason;
                }
            }
        }

        return outer;
    }

    private BudgetDecision BeginToolCallLocked(string toolName, bool enforceRetries, out BudgetAlert? tripAlert)
    {
        tripAlert = null;
        lock (gate)
        {
            if (Policy.MaxToolCalls is int maxToolCalls && toolCallsStarted >= maxToolCalls)
            {
                return Trip(BudgetLimit.ToolCalls, $"The run has made its {maxToolCalls} tool calls (MaxToolCalls).", out tripAlert);
            }

            if (enforceRetries
                && Policy.MaxRetriesPerTool is int retries
                && toolFailures.TryGetValue(toolName, out var failures)
                && failures > retries)
            {
                // Not a run-stopping limit: the model is told the tool is unavailable and may answer without it.
                return BudgetDecision.Refused(BudgetLimit.ToolRetries, $"Tool '{toolName}' has failed {failures} times in this run and will not be run again (MaxRetriesPerTool = {retries}).");
            }

            toolCallsStarted++;
            return BudgetDecision.Allowed;
        }
    }

    /// <summary>Records a finished tool call; a failure counts toward the tool's retry limit.</summary>
    public void CompleteToolCall(in ToolCallRecord call)
    {
        CompleteToolCallCore(call);
        AgentGuardTelemetry.RecordToolCall(call, options.AgentName);
    }

    private void CompleteToolCallCore(in ToolCallRecord call)
    {
        if (call.Failed)
        {
            lock (gate)
            {
                toolFailures.TryGetValue(call.Name, out var failures);
                toolFailures[call.Name] = failures + 1;
            }
        }

        Ledger.RecordToolCall(call);
        parent?.CompleteToolCallCore(call);
    }

    /// <summary>
    /// Calls the escalation hook (<see cref="AgentGuardOptions.OnHardLimit"/>) once for the run, with the limit that
    /// stopped it and the transcript so far. Exceptions from the hook are not swallowed: the hook is user code.
    /// </summary>
    public async Task EscalateAsync(IReadOnlyList<ChatMessage> transcript, CancellationToken cancellationToken = default)
    {
        BudgetLimit limit;
        string reason;
        lock (gate)
        {
            limit = tripped;
            reason = trippedReason ?? "A budget limit was reached.";
        }

        if (limit == BudgetLimit.None || Interlocked.Exchange(ref escalated, 1) == 1 || options.OnHardLimit is null)
        {
            return;
        }

        await options.OnHardLimit(new BudgetEscalation(limit, reason, Ledger, transcript, options.AgentName), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Raises <see cref="BudgetAlertKind.UnboundedStepCost"/> when <paramref name="policy"/> has a hard dollar limit
    /// and no per-step output cap (through <see cref="AgentGuardOptions.OnAlert"/>, or the trace when none is set).
    /// </summary>
    internal static void WarnIfStepCostUnbounded(BudgetPolicy policy, AgentGuardOptions options, CostLedger ledger)
    {
        if (policy.HardLimitUsd is not decimal hard || policy.MaxOutputTokensPerStep is not null)
        {
            return;
        }

        var alert = new BudgetAlert(
            BudgetAlertKind.UnboundedStepCost,
            BudgetLimit.HardCost,
            0m,
            hard,
            null,
            $"{options.AgentName ?? "The budget"} has a ${hard} hard limit but no MaxOutputTokensPerStep: each step is reserved without its output, so one step can pass the hard limit by an unbounded amount. Set MaxOutputTokensPerStep.",
            ledger);
        if (options.OnAlert is null)
        {
            Trace.TraceWarning("AgentGuard: {0}", alert.Message);
            return;
        }

        Raise(options, alert);
    }

    // Called under the lock; the alert is raised by the caller after the lock is released, so user callbacks
    // never run while the tracker is locked.
    private BudgetDecision Trip(BudgetLimit limit, string reason, out BudgetAlert? tripAlert)
    {
        tripAlert = null;
        if (tripped == BudgetLimit.None)
        {
            tripped = limit;
            trippedReason = reason;
            tripAlert = new BudgetAlert(BudgetAlertKind.LimitReached, limit, spent, Policy.HardLimitUsd, null, reason, Ledger);
        }

        return BudgetDecision.Refused(limit, reason);
    }

    private void RaiseIfAny(BudgetAlert? tripAlert)
    {
        if (tripAlert is null)
        {
            return;
        }

        AgentGuardTelemetry.RecordTrip(tripAlert.Limit, options.AgentName, tripAlert.Message);
        Raise(tripAlert);
    }

    private void Raise(BudgetAlert alert) => Raise(options, alert);

    private static void Raise(AgentGuardOptions options, BudgetAlert alert)
    {
        try
        {
            options.OnAlert?.Invoke(alert);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An alert sink that fails must not stop or corrupt the run it reports on.
            Trace.TraceWarning("AgentGuard: an OnAlert callback threw: {0}", ex);
        }
    }

    private static TimeSpan Elapsed(long startTimestamp)
        => startTimestamp == 0
            ? TimeSpan.Zero
            : TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - startTimestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
}
