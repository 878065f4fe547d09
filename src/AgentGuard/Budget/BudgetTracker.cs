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
public sealed class BudgetTracker
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
    }

    // A run begun inside another run of the same guard: every step and tool call must also fit the outer run, and
    // is recorded in both.
    internal BudgetTracker(BudgetPolicy policy, AgentGuardOptions? options, CostLedger? ledger, BudgetTracker? parent)
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
        if (!Policy.HasUsdLimits)
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
    /// Asks to start a model step. The reservation is the worst case of the step: its input — the larger of
    /// <paramref name="estimatedInputTokens"/> and everything the previous step read and wrote, since an agent
    /// resends its history — plus the per-step output cap, priced for <paramref name="modelId"/>.
    /// </summary>
    public BudgetDecision TryBeginStep(string? modelId, long estimatedInputTokens, out StepReservation reservation)
    {
        estimatedInputTokens = Math.Max(estimatedInputTokens, Interlocked.Read(ref lastStepTokens));
        var outputCap = Policy.MaxOutputTokensPerStep ?? 0;
        var costReservation = 0m;
        if (HasHardLimit() && options.Prices.TryGetPrice(modelId, out var price))
        {
            costReservation = price.WorstCaseStepCost(Math.Max(0, estimatedInputTokens), outputCap);
        }

        var tokenReservation = Math.Max(0, estimatedInputTokens) + outputCap;
        return BeginStep(modelId, costReservation, tokenReservation, out reservation);
    }

    private bool HasHardLimit() => Policy.HardLimitUsd is not null || parent?.HasHardLimit() == true;

    private BudgetDecision BeginStep(string? modelId, decimal costReservation, long tokenReservation, out StepReservation reservation)
    {
        var decision = BeginStepLocked(modelId, costReservation, tokenReservation, out reservation, out var tripAlert);
        RaiseIfAny(tripAlert);
        if (!decision.IsAllowed || parent is null)
        {
            return decision;
        }

        // The step must fit what the outer run has left too; if not, it does not start here either.
        var outer = parent.BeginStep(modelId, costReservation, tokenReservation, out _);
        if (outer.IsAllowed)
        {
            return decision;
        }

        lock (gate)
        {
            stepsStarted--;
            reservedUsd = Math.Max(0, reservedUsd - costReservation);
            reservedTokens = Math.Max(0, reservedTokens - tokenReservation);
            if (tripped == BudgetLimit.None)
            {
                // The outer run raised the alert; this run only remembers why it stopped.
                tripped = outer.Limit;
                trippedReason = outer.Reason;
            }
        }

        reservation = default;
        return outer;
    }

    private BudgetDecision BeginStepLocked(string? modelId, decimal costReservation, long tokenReservation, out StepReservation reservation, out BudgetAlert? tripAlert)
    {
        tripAlert = null;
        lock (gate)
        {
            reservation = default;
            if (tripped is not BudgetLimit.None and not BudgetLimit.ToolCalls and not BudgetLimit.ToolRetries)
            {
                return BudgetDecision.Refused(tripped, trippedReason!);
            }

            if (Policy.MaxSteps is int maxSteps && stepsStarted >= maxSteps)
            {
                return Trip(BudgetLimit.Steps, $"The run has made its {maxSteps} model calls (MaxSteps).", out tripAlert);
            }

            if (Policy.MaxTotalTokens is long maxTokens
                && (usedTokens + reservedTokens >= maxTokens || usedTokens + reservedTokens + tokenReservation > maxTokens))
            {
                return Trip(BudgetLimit.TotalTokens, $"The run has used {usedTokens} of its {maxTokens} tokens (MaxTotalTokens); the next step needs about {tokenReservation} more.", out tripAlert);
            }

            if (Policy.HardLimitUsd is decimal hard
                && (spent + reservedUsd >= hard || spent + reservedUsd + costReservation > hard))
            {
                return Trip(BudgetLimit.HardCost, $"The run has spent ${spent:0.######} of its ${hard} hard limit; the next step could cost up to ${costReservation:0.######}.", out tripAlert);
            }

            stepsStarted++;
            reservedUsd += costReservation;
            reservedTokens += tokenReservation;
            reservation = new StepReservation(modelId, costReservation, tokenReservation, Stopwatch.GetTimestamp());
            return BudgetDecision.Allowed;
        }
    }

    /// <summary>
    /// Records a completed step: prices <paramref name="usage"/> for the model that answered (else the one
    /// requested), releases the reservation, raises threshold and soft-limit alerts.
    /// </summary>
    public StepRecord CompleteStep(in StepReservation reservation, string? respondedModelId, in TokenUsage usage)
    {
        var record = CompleteStepCore(reservation, respondedModelId, usage);
        AgentGuardTelemetry.RecordStep(record, reservation.ModelId, options.AgentName);
        return record;
    }

    private StepRecord CompleteStepCore(in StepReservation reservation, string? respondedModelId, in TokenUsage usage)
    {
        var modelId = string.IsNullOrWhiteSpace(respondedModelId) ? reservation.ModelId : respondedModelId;
        var isPriced = options.Prices.TryGetPrice(modelId, out var price)
            || (modelId != reservation.ModelId && options.Prices.TryGetPrice(reservation.ModelId, out price));
        var cost = isPriced ? price.CostOf(usage) : 0m;
        var duration = Elapsed(reservation.StartTimestamp);

        var record = Ledger.RecordStep(modelId, usage, cost, duration, isPriced);
        List<BudgetAlert>? alerts = null;
        lock (gate)
        {
            spent += cost;
            reservedUsd = Math.Max(0, reservedUsd - reservation.ReservedUsd);
            usedTokens += usage.TotalTokens;
            lastStepTokens = usage.TotalTokens;
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
        parent?.CompleteStepCore(reservation, respondedModelId, usage);
        return record;
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
    public BudgetDecision TryBeginToolCall(string toolName)
    {
        var decision = BeginToolCallLocked(toolName, out var tripAlert);
        RaiseIfAny(tripAlert);
        if (!decision.IsAllowed || parent is null)
        {
            return decision;
        }

        var outer = parent.TryBeginToolCall(toolName);
        if (!outer.IsAllowed)
        {
            lock (gate)
            {
                toolCallsStarted--;
            }
        }

        return outer;
    }

    private BudgetDecision BeginToolCallLocked(string toolName, out BudgetAlert? tripAlert)
    {
        tripAlert = null;
        lock (gate)
        {
            if (Policy.MaxToolCalls is int maxToolCalls && toolCallsStarted >= maxToolCalls)
            {
                return Trip(BudgetLimit.ToolCalls, $"The run has made its {maxToolCalls} tool calls (MaxToolCalls).", out tripAlert);
            }

            if (Policy.MaxRetriesPerTool is int retries
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
