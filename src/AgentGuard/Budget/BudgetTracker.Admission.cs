using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace AgentGuard;

// Admission: whether a step may start — as a normal step, as the run's wrap-up, or not at all — across this budget and
// every budget it draws from.
public sealed partial class BudgetTracker
{
    /// <summary>
    /// Asks to start a model step. The reservation is the worst case of the step: its input — the larger of
    /// <paramref name="estimatedInputTokens"/> and everything the previous step read and wrote, since an agent
    /// resends its history — plus the per-step output cap, priced for <paramref name="modelId"/>. With the
    /// wrap-up on (<see cref="AgentGuardOptions.WrapUp"/>), a step is allowed as a normal step only if a wrap-up
    /// after it would still fit; otherwise it is allowed as the wrap-up (<see cref="BudgetDecision.IsWrapUp"/>) if
    /// that fits, and refused if nothing does. A run nested in another must fit both budgets, and the stricter
    /// decision wins.
    /// </summary>
    public BudgetDecision TryBeginStep(string? modelId, long estimatedInputTokens, out StepReservation reservation)
        => Admit(StepAsk.For(this, modelId, estimatedInputTokens, wrapUpOnly: false), out reservation);

    /// <summary>
    /// Asks to start the run's wrap-up after a limit that stops tool use but not model calls
    /// (<see cref="BudgetPolicy.MaxToolCalls"/>) ended the work: allowed, as a wrap-up, only if the budget can pay
    /// for it and the wrap-up is on.
    /// </summary>
    public BudgetDecision TryBeginWrapUp(string? modelId, long estimatedInputTokens, out StepReservation reservation)
    {
        if (options.WrapUp.ReservedOutputTokens is null)
        {
            reservation = default;
            return BudgetDecision.Refused(TrippedLimit is BudgetLimit.None ? BudgetLimit.ToolCalls : TrippedLimit, TrippedReason ?? "The run has used its budget, and the wrap-up is turned off (AgentGuardOptions.WrapUp).");
        }

        return Admit(StepAsk.For(this, modelId, estimatedInputTokens, wrapUpOnly: true), out reservation);
    }

    private bool HasHardLimit() => Policy.HardLimitUsd is not null || parent?.HasHardLimit() == true;

    /// <summary>Whether this budget or one it draws from limits dollars, so every step must be priced.</summary>
    public bool HasUsdLimits => Policy.HasUsdLimits || parent?.HasUsdLimits == true;

    private BudgetDecision Admit(in StepAsk ask, out StepReservation reservation)
    {
        List<(BudgetTracker Tracker, BudgetAlert Alert)>? alerts = null;
        var decision = AdmitLocked(ask, ask.WrapUpOnly, default, isAsker: true, ref alerts);
        if (alerts is not null)
        {
            foreach (var (tracker, alert) in alerts)
            {
                tracker.RaiseIfAny(alert);
            }
        }

        if (!decision.IsAllowed)
        {
            reservation = default;
            return decision;
        }

        if (ask.WrapUpOnly && !decision.IsWrapUp)
        {
            decision = BudgetDecision.WrapUp(TrippedLimit is BudgetLimit.None ? BudgetLimit.ToolCalls : TrippedLimit, TrippedReason ?? "The run has used its budget.");
        }

        reservation = decision.IsWrapUp
            ? new StepReservation(ask.ModelId, ask.WrapUpUsd, ask.WrapUpTokens, Stopwatch.GetTimestamp(), isWrapUp: true, ask.Input)
            : new StepReservation(ask.ModelId, ask.StepUsd, ask.StepTokens, Stopwatch.GetTimestamp(), isWrapUp: false, ask.Input);
        return decision;
    }

    // Decides under this tracker's lock, then asks the outer run (under its lock too: locks are always taken from
    // the inner run outwards, so two runs never wait on each other), and applies the stricter of the two decisions.
    // `held` is what the runs between the one asking and this one hold back for their own wrap-ups: a nested run
    // must leave each run it draws from the means to wrap up after it. Only the run asking is stopped by a refusal
    // or a wrap-up: an outer run that refuses a nested run's step still has its own wrap-up held back. Alerts are
    // collected and raised by the caller once every lock is released.
    private BudgetDecision AdmitLocked(in StepAsk ask, bool wrapUpOnly, Held held, bool isAsker, ref List<(BudgetTracker, BudgetAlert)>? alerts)
    {
        lock (gate)
        {
            if (!isAsker)
            {
                held += OwnWrapUp(ask);
            }

            var here = Decide(ask, wrapUpOnly, held);
            if (!here.IsAllowed)
            {
                if (isAsker)
                {
                    TripAndCollect(here, ref alerts);
                }

                return here;
            }

            var decision = here;
            var asWrapUp = wrapUpOnly || here.IsWrapUp;
            if (parent is not null)
            {
                var outer = parent.AdmitLocked(ask, asWrapUp, held, isAsker: false, ref alerts);
                if (!outer.IsAllowed)
                {
                    if (isAsker)
                    {
                        // An outer run's limit stops this run; the outer run itself still has its wrap-up.
                        TripAndCollect(outer, ref alerts);
                    }

                    return outer;
                }

                if (outer.IsWrapUp && !here.IsWrapUp)
                {
                    decision = outer;
                    asWrapUp = true;
                }
            }

            stepsStarted++;
            if (asWrapUp)
            {
                wrappedUp |= isAsker;
                reservedUsd += ask.WrapUpUsd;
                reservedTokens += ask.WrapUpTokens;
                if (here.IsWrapUp && isAsker)
                {
                    // This run's own limit is the one the wrap-up is for: nothing after it may start here.
                    TripAndCollect(BudgetDecision.Refused(here.WrapUpLimit, here.Reason!), ref alerts);
                }
                else if (isAsker && decision.IsWrapUp && tripped == BudgetLimit.None)
                {
                    // An outer run's limit: this run stops after the wrap-up too, without raising the alert again.
                    tripped = decision.WrapUpLimit;
                    trippedReason = decision.Reason;
                }
            }
            else
            {
                reservedUsd += ask.StepUsd;
                reservedTokens += ask.StepTokens;
            }

            return decision;
        }
    }

    // Called under the lock: what this run holds back for its own wrap-up while a run nested in it works.
    private Held OwnWrapUp(in StepAsk ask)
    {
        if (WrapUpCap(options.WrapUp, Policy) is not int wrapCap)
        {
            return default;
        }

        var input = Interlocked.Read(ref lastStepTokens) + (Policy.MaxOutputTokensPerStep ?? 0);
        return new Held(1, input + wrapCap, ask.Price?.WorstCaseStepCost(input, wrapCap) ?? 0m);
    }

    // Called under the lock.
    private BudgetDecision Decide(in StepAsk ask, bool wrapUpOnly, Held held)
    {
        if (tripped is not BudgetLimit.None and not BudgetLimit.ToolCalls and not BudgetLimit.ToolRetries)
        {
            return BudgetDecision.Refused(tripped, trippedReason!);
        }

        if (wrappedUp)
        {
            // Nothing runs after a run's wrap-up.
            return BudgetDecision.Refused(tripped is BudgetLimit.None ? BudgetLimit.Steps : tripped, trippedReason ?? "The run has ended with its wrap-up.");
        }

        // The run making the step decides whether there is a wrap-up; every budget it draws from must pay for it.
        var wrapUpOn = ask.WrapUpTokens >= 0;
        if (wrapUpOnly)
        {
            // Asked for the wrap-up only (an inner run's own limit, or the tool-call limit, ended the work).
            var cannot = Lacks(1 + held.Steps, ask.WrapUpTokens + held.Tokens, ask.WrapUpUsd + held.Usd, out var why);
            return cannot == BudgetLimit.None ? BudgetDecision.Allowed : BudgetDecision.Refused(cannot, why!);
        }

        var stepLacks = Lacks(1 + held.Steps, ask.StepTokens + held.Tokens, ask.StepUsd + held.Usd, out var stepWhy);
        if (!wrapUpOn)
        {
            return stepLacks == BudgetLimit.None ? BudgetDecision.Allowed : BudgetDecision.Refused(stepLacks, stepWhy!);
        }

        // A normal step must leave room for the wrap-up after it.
        var roomLacks = Lacks(2 + held.Steps, ask.StepTokens + ask.HoldTokens + held.Tokens, ask.StepUsd + ask.HoldUsd + held.Usd, out var roomWhy, "the next step and the wrap-up after it");
        if (roomLacks == BudgetLimit.None)
        {
            return BudgetDecision.Allowed;
        }

        if (Lacks(1 + held.Steps, ask.WrapUpTokens + held.Tokens, ask.WrapUpUsd + held.Usd, out _) == BudgetLimit.None)
        {
            return BudgetDecision.WrapUp(roomLacks, roomWhy!);
        }

        // Not even the wrap-up fits: a last normal step if it does, else stop.
        return stepLacks == BudgetLimit.None ? BudgetDecision.Allowed : BudgetDecision.Refused(stepLacks, stepWhy!);
    }

    // Which limit refuses `steps` more model calls needing `tokens` and `usd` on top of what is spent and reserved.
    private BudgetLimit Lacks(int steps, long tokens, decimal usd, out string? reason, string what = "the next step")
    {
        reason = null;
        if (Policy.MaxSteps is int maxSteps && stepsStarted + steps > maxSteps)
        {
            reason = stepsStarted >= maxSteps
                ? $"The run has made its {maxSteps} model calls (MaxSteps)."
                : $"The run has made {stepsStarted} of its {maxSteps} model calls (MaxSteps).";
            return BudgetLimit.Steps;
        }

        if (Policy.MaxTotalTokens is long maxTokens
            && (usedTokens + reservedTokens >= maxTokens || usedTokens + reservedTokens + tokens > maxTokens))
        {
            reason = $"The run has used {usedTokens} of its {maxTokens} tokens (MaxTotalTokens); {what} would take about {tokens} more.";
            return BudgetLimit.TotalTokens;
        }

        if (Policy.HardLimitUsd is decimal hard
            && (spent + reservedUsd >= hard || spent + reservedUsd + usd > hard))
        {
            reason = $"The run has spent ${spent:0.######} of its ${hard} hard limit; {what} could cost up to ${usd:0.######}.";
            return BudgetLimit.HardCost;
        }

        return BudgetLimit.None;
    }

    // Called under the lock: records the first limit that refused work and collects its alert.
    private void TripAndCollect(in BudgetDecision refusal, ref List<(BudgetTracker, BudgetAlert)>? alerts)
    {
        Trip(refusal.Limit, refusal.Reason!, out var alert);
        if (alert is not null)
        {
            (alerts ??= new()).Add((this, alert));
        }
    }

    // What runs between a step's run and an outer one hold back for their own wrap-ups.
    private readonly struct Held
    {
        public Held(int steps, long tokens, decimal usd)
        {
            Steps = steps;
            Tokens = tokens;
            Usd = usd;
        }

        public int Steps { get; }

        public long Tokens { get; }

        public decimal Usd { get; }

        public static Held operator +(Held left, Held right) => new(left.Steps + right.Steps, left.Tokens + right.Tokens, left.Usd + right.Usd);
    }

    // What a step asks of every budget it must fit: computed once, by the run that makes it.
    private readonly struct StepAsk
    {
        public string? ModelId { get; init; }

        public ModelPrice? Price { get; init; }

        public long Input { get; init; }

        public bool WrapUpOnly { get; init; }

        // The normal step: its input plus the per-step output cap.
        public long StepTokens { get; init; }

        public decimal StepUsd { get; init; }

        // The wrap-up as this step: its input plus the wrap-up's cap; -1 tokens when the wrap-up is off.
        public long WrapUpTokens { get; init; }

        public decimal WrapUpUsd { get; init; }

        // The wrap-up after a normal step, held back when the step is admitted: this step's input and output as
        // its input, plus the wrap-up's cap.
        public long HoldTokens { get; init; }

        public decimal HoldUsd { get; init; }

        public static StepAsk For(BudgetTracker tracker, string? modelId, long estimatedInputTokens, bool wrapUpOnly)
        {
            // A run resends its history, so its next step reads at least what the last one read and wrote; a scope's
            // requests are unrelated, but the last one's size is still the best guess the estimate may fall short of.
            var input = Math.Max(0, Math.Max(estimatedInputTokens, Interlocked.Read(ref tracker.lastStepTokens)));
            var cap = tracker.Policy.MaxOutputTokensPerStep ?? 0;
            var wrapCap = WrapUpCap(tracker.options.WrapUp, tracker.Policy);
            ModelPrice? price = null;
            if (tracker.HasHardLimit() && tracker.options.Prices.TryGetPrice(modelId, out var known))
            {
                price = known;
            }

            return new StepAsk
            {
                ModelId = modelId,
                Price = price,
                Input = input,
                WrapUpOnly = wrapUpOnly,
                StepTokens = input + cap,
                StepUsd = price?.WorstCaseStepCost(input, cap) ?? 0m,
                WrapUpTokens = wrapCap is int w ? input + w : -1,
                WrapUpUsd = wrapCap is int w2 ? price?.WorstCaseStepCost(input, w2) ?? 0m : 0m,
                HoldTokens = wrapCap is int h ? input + cap + h : 0,
                HoldUsd = wrapCap is int h2 ? price?.WorstCaseStepCost(input + cap, h2) ?? 0m : 0m,
            };
        }
    }
}
