namespace AgentGuard.Tests.Budget;

/// <summary>How the budget decides a step is the run's wrap-up, alone and nested.</summary>
public sealed class WrapUpDecisionTests
{
    private static readonly AgentGuardOptions Priced = new()
    {
        Prices = new PriceTable().Set("m", new ModelPrice { InputPerMillionUsd = 1m, OutputPerMillionUsd = 1m }),
    };

    private static BudgetDecision Step(BudgetTracker tracker, long input = 100)
    {
        var decision = tracker.TryBeginStep("m", input, out var reservation);
        if (decision.IsAllowed)
        {
            tracker.CompleteStep(reservation, "m", new TokenUsage(input, 0, 0, 10, 0));
        }

        return decision;
    }

    [Fact]
    public void MaxSteps_TheLastStepIsTheWrapUp_AndNothingComesAfterIt()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxSteps = 3 });

        var decisions = new[] { Step(tracker), Step(tracker), Step(tracker), Step(tracker) };

        Assert.False(decisions[0].IsWrapUp);
        Assert.False(decisions[1].IsWrapUp);
        Assert.True(decisions[2].IsWrapUp);
        Assert.Equal(BudgetLimit.Steps, decisions[2].WrapUpLimit);
        Assert.Equal(BudgetLimit.Steps, decisions[3].Limit);
        Assert.Equal(BudgetLimit.Steps, tracker.TrippedLimit);
        Assert.True(tracker.Ledger.GetSteps()[2].IsWrapUp);
    }

    [Fact]
    public void WrapUpDisabled_EveryStepUpToTheLimitIsNormal()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxSteps = 3 }, new AgentGuardOptions { WrapUp = WrapUpOptions.Disabled });

        var decisions = new[] { Step(tracker), Step(tracker), Step(tracker), Step(tracker) };

        Assert.All(decisions.Take(3), d => Assert.True(d.IsAllowed && !d.IsWrapUp));
        Assert.Equal(BudgetLimit.Steps, decisions[3].Limit);
    }

    [Fact]
    public void HardLimit_ANormalStepMustLeaveTheWrapUpsPrice_TheWrapUpUsesWhatIsLeft()
    {
        // $1/M tokens either way: a step of 100,000 in + 1,000 out reserves $0.101; the wrap-up after it, $0.1013.
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = 0.25m, MaxOutputTokensPerStep = 1_000 }, Priced);

        var first = Step(tracker, 100_000);
        var second = Step(tracker, 100_000);
        var third = tracker.TryBeginStep("m", 100_000, out _);

        Assert.False(first.IsWrapUp);
        Assert.True(second.IsWrapUp);
        Assert.Equal(BudgetLimit.HardCost, second.WrapUpLimit);
        Assert.Equal(BudgetLimit.HardCost, third.Limit);
        Assert.True(tracker.SpentUsd <= 0.25m);
    }

    [Fact]
    public void WrapUpTheBudgetCannotPayFor_IsNotOffered()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxTotalTokens = 1_000 }, new AgentGuardOptions { WrapUp = new WrapUpOptions { MaxOutputTokens = 900 } });

        var decision = tracker.TryBeginStep("m", 200, out _);

        // Neither a step with room for a 900-token wrap-up nor the wrap-up itself fits; the plain step does.
        Assert.True(decision.IsAllowed);
        Assert.False(decision.IsWrapUp);
    }

    [Fact]
    public void TryBeginWrapUp_AfterTheToolCallLimit_AllowsOneWrapUp()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxToolCalls = 1, MaxSteps = 10 });
        Assert.True(tracker.TryBeginToolCall("t").IsAllowed);
        Assert.Equal(BudgetLimit.ToolCalls, tracker.TryBeginToolCall("t").Limit);

        var wrapUp = tracker.TryBeginWrapUp("m", 100, out var reservation);

        Assert.True(wrapUp.IsWrapUp);
        Assert.Equal(BudgetLimit.ToolCalls, wrapUp.WrapUpLimit);
        Assert.True(reservation.IsWrapUp);
    }

    [Fact]
    public void NestedRun_CannotTakeTheOuterRunsWrapUp()
    {
        var outer = new BudgetTracker(new BudgetPolicy { MaxSteps = 4 });
        var inner = new BudgetTracker(new BudgetPolicy { MaxSteps = 20 }, null, null, outer);
        Assert.False(Step(outer).IsWrapUp);

        var innerFirst = Step(inner);
        var innerSecond = Step(inner);
        var innerThird = Step(inner);
        var outerLast = Step(outer);

        // Outer: 1 own + 2 inner (the second the inner run's wrap-up) + its own wrap-up = 4.
        Assert.False(innerFirst.IsWrapUp);
        Assert.True(innerSecond.IsWrapUp);
        Assert.Equal(BudgetLimit.Steps, innerSecond.WrapUpLimit);
        Assert.Equal(BudgetLimit.Steps, innerThird.Limit);
        Assert.True(outerLast.IsWrapUp);
        Assert.Equal(4, outer.Ledger.Steps);
        Assert.Equal(BudgetLimit.Steps, inner.TrippedLimit);
    }

    [Fact]
    public void NestedRun_StoppedByItsCallersToolCallLimit_SaysSo()
    {
        var outer = new BudgetTracker(new BudgetPolicy { MaxToolCalls = 1 });
        var inner = new BudgetTracker(new BudgetPolicy(), null, null, outer);

        Assert.True(inner.TryBeginToolCall("search").IsAllowed);
        var refused = inner.TryBeginToolCall("search");

        Assert.Equal(BudgetLimit.ToolCalls, refused.Limit);
        Assert.Equal(BudgetLimit.ToolCalls, inner.TrippedLimit);
        Assert.True(inner.TryBeginWrapUp("m", 100, out _).IsWrapUp);
        Assert.False(inner.TryBeginWrapUp("m", 100, out _).IsAllowed); // one wrap-up, then nothing
    }

    [Fact]
    public void Restore_PastTheSoftLimit_UsesTheFallbackAtOnce_AndDoesNotRepeatPassedAlerts()
    {
        var alerts = new List<BudgetAlert>();
        var options = new AgentGuardOptions { Prices = Priced.Prices, OnAlert = alerts.Add };
        var session = new BudgetTracker(new BudgetPolicy { SoftLimitUsd = 0.5m, HardLimitUsd = 1m, FallbackModelId = "cheap" }, options);

        session.Restore(new BudgetUsage(0.6m, 600_000, 3, 0));
        var step = session.TryBeginStep("m", 100, out var reservation);
        session.CompleteStep(reservation, "m", new TokenUsage(100, 0, 0, 10, 0));

        Assert.True(step.IsAllowed);
        Assert.Equal("cheap", session.ResolveModel("m"));
        Assert.DoesNotContain(alerts, a => a.Kind is BudgetAlertKind.SoftLimitReached || a.Threshold == 0.5);
    }

    [Fact]
    public void GetRemaining_IsTheTighterOfTheRunAndItsOuterRun()
    {
        var outer = new BudgetTracker(new BudgetPolicy { MaxSteps = 4, MaxTotalTokens = 10_000 });
        var inner = new BudgetTracker(new BudgetPolicy { MaxSteps = 20 }, null, null, outer);
        Step(inner, 1_000);

        var remaining = inner.GetRemaining();

        Assert.Equal(3, remaining.Steps);
        Assert.Equal(8_990, remaining.Tokens);
        Assert.Null(remaining.Usd);
    }

    [Fact]
    public void WrapUpWithNoOutput_IsRejectedWhenTheBudgetIsCreated()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BudgetTracker(new BudgetPolicy(), new AgentGuardOptions { WrapUp = new WrapUpOptions { MaxOutputTokens = 0 } }));

        Assert.Contains("WrapUp.MaxOutputTokens", error.Message, StringComparison.Ordinal);
    }
}
