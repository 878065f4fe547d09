namespace AgentGuard.Tests.Budget;

public sealed class BudgetTrackerTests
{
    private static readonly AgentGuardOptions Priced = new()
    {
        Prices = new PriceTable()
            .Set("big", new ModelPrice { InputPerMillionUsd = 10m, OutputPerMillionUsd = 10m })
            .Set("small", new ModelPrice { InputPerMillionUsd = 1m, OutputPerMillionUsd = 1m }),
    };

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    public void TryBeginStep_StepLimit_AllowsExactlyMaxSteps(int maxSteps, int expectedAllowed)
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxSteps = maxSteps }, Priced);
        var allowed = 0;
        for (var i = 0; i < maxSteps + 2; i++)
        {
            if (tracker.TryBeginStep("big", 10, out var reservation).IsAllowed)
            {
                allowed++;
                tracker.CompleteStep(reservation, null, new TokenUsage(10, 0, 0, 1, 0));
            }
        }

        Assert.Equal(expectedAllowed, allowed);
        Assert.Equal(BudgetLimit.Steps, tracker.TrippedLimit);
    }

    [Theory]
    [InlineData("0.0099", true)]   // just under: $0.0099 spent + $0.0001 reserved is exactly the $0.01 limit
    [InlineData("0.0100", false)]  // exactly at: nothing is left
    [InlineData("0.0101", false)]  // just over (a step may overshoot; the next one does not start)
    public void TryBeginStep_HardLimit_AtUnderAndOver(string spentText, bool allowed)
    {
        // Output-only pricing makes the reservation exactly the output cap: 10 tokens × $10/M = $0.0001.
        var options = new AgentGuardOptions { Prices = new PriceTable().Set("meter", new ModelPrice { InputPerMillionUsd = 0m, OutputPerMillionUsd = 10m }) };
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = 0.01m, MaxOutputTokensPerStep = 10 }, options);
        var spent = decimal.Parse(spentText, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(tracker.TryBeginStep("meter", 0, out var first).IsAllowed);
        tracker.CompleteStep(first, "meter", new TokenUsage(0, 0, 0, (long)(spent * 100_000m), 0));
        Assert.Equal(spent, tracker.SpentUsd);

        var second = tracker.TryBeginStep("meter", 0, out var reservation);

        Assert.Equal(allowed, second.IsAllowed);
        if (allowed)
        {
            Assert.Equal(0.0001m, reservation.ReservedUsd);
        }
        else
        {
            Assert.Equal(BudgetLimit.HardCost, second.Limit);
            Assert.Contains("hard limit", second.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TryBeginStep_ReservationWouldPassHardLimit_Refuses()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = 0.01m, MaxOutputTokensPerStep = 500 }, Priced);

        // 500 input + 500 output at $10/M = $0.01: fits exactly.
        Assert.True(tracker.TryBeginStep("big", 500, out var fits).IsAllowed);
        tracker.CancelStep(fits);

        // 501 input + 500 output = $0.01001: does not.
        Assert.False(tracker.TryBeginStep("big", 501, out _).IsAllowed);
    }

    [Fact]
    public void CompleteStep_SoftLimit_AlertsOnceAndSwitchesToFallback()
    {
        var alerts = new List<BudgetAlert>();
        var options = new AgentGuardOptions { Prices = Priced.Prices, OnAlert = alerts.Add };
        var tracker = new BudgetTracker(new BudgetPolicy { SoftLimitUsd = 0.001m, FallbackModelId = "small" }, options);

        Assert.Equal("big", tracker.ResolveModel("big"));
        for (var i = 0; i < 3; i++)
        {
            tracker.TryBeginStep(tracker.ResolveModel("big"), 0, out var r);
            tracker.CompleteStep(r, null, new TokenUsage(100, 0, 0, 0, 0));
        }

        Assert.True(tracker.IsPastSoftLimit);
        Assert.Equal("small", tracker.ResolveModel("big"));
        Assert.Single(alerts, a => a.Kind == BudgetAlertKind.SoftLimitReached);
        Assert.Equal(new[] { "big", "small", "small" }, tracker.Ledger.GetSteps().Select(s => s.ModelId));
    }

    [Fact]
    public void CompleteStep_Thresholds_RaiseEachOnce()
    {
        var alerts = new List<BudgetAlert>();
        var options = new AgentGuardOptions { Prices = Priced.Prices, OnAlert = alerts.Add, WrapUp = WrapUpOptions.Disabled };
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = 1m }, options);

        foreach (var tokens in new[] { 40_000, 20_000, 10_000, 10_000, 10_000, 10_000 })
        {
            Assert.True(tracker.TryBeginStep("big", 0, out var r).IsAllowed);
            tracker.CompleteStep(r, null, new TokenUsage(tokens, 0, 0, 0, 0));
        }

        Assert.Equal(new[] { 0.5, 0.8, 1.0 }, alerts.Where(a => a.Kind == BudgetAlertKind.Threshold).Select(a => a.Threshold!.Value));
    }

    [Fact]
    public void TryBeginToolCall_RetryLimit_RefusesAfterOnePlusRetriesFailures()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxRetriesPerTool = 1 });

        for (var i = 0; i < 2; i++)
        {
            Assert.True(tracker.TryBeginToolCall("flaky").IsAllowed);
            tracker.CompleteToolCall(new ToolCallRecord("flaky", TimeSpan.Zero, false, failed: true, "timeout"));
        }

        var third = tracker.TryBeginToolCall("flaky");
        Assert.Equal(BudgetLimit.ToolRetries, third.Limit);
        Assert.True(tracker.TryBeginToolCall("other").IsAllowed);
        Assert.True(tracker.TryBeginStep(null, 0, out _).IsAllowed);
    }

    [Fact]
    public void TryBeginToolCall_ToolCallLimit_AllowsExactlyMax()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxToolCalls = 3 });

        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => tracker.TryBeginToolCall("t").IsAllowed));
        Assert.Equal(BudgetLimit.ToolCalls, tracker.TrippedLimit);
    }

    [Fact]
    public void TryBeginStep_TokenLimit_CountsUsedAndEstimated()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxTotalTokens = 1_000 }, new AgentGuardOptions { WrapUp = WrapUpOptions.Disabled });
        Assert.True(tracker.TryBeginStep(null, 400, out var r).IsAllowed);
        tracker.CompleteStep(r, "m", new TokenUsage(400, 0, 0, 100, 0));

        Assert.True(tracker.TryBeginStep(null, 500, out var fits).IsAllowed); // 500 used + 500 = 1000
        tracker.CancelStep(fits);
        var refused = tracker.TryBeginStep(null, 501, out _);

        Assert.Equal(BudgetLimit.TotalTokens, refused.Limit);
    }

    [Fact]
    public void TryBeginStep_TokenLimit_ReservesTheOutputCapToo()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { MaxTotalTokens = 1_000, MaxOutputTokensPerStep = 400 });

        Assert.Equal(BudgetLimit.TotalTokens, tracker.TryBeginStep(null, 900, out _).Limit);
        Assert.True(new BudgetTracker(new BudgetPolicy { MaxTotalTokens = 1_000, MaxOutputTokensPerStep = 400 }).TryBeginStep(null, 600, out _).IsAllowed);
    }

    [Fact]
    public void EnsurePriced_UsdBudgetOverUnknownModel_Throws()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = 1m }, Priced);

        Assert.Throws<UnknownModelPriceException>(() => tracker.EnsurePriced("acme-unknown"));
        tracker.EnsurePriced("big");
        new BudgetTracker(new BudgetPolicy { MaxSteps = 3 }, Priced).EnsurePriced("acme-unknown");
    }

    [Fact]
    public void EnsurePriced_FallbackWithoutPrice_Throws()
    {
        var tracker = new BudgetTracker(new BudgetPolicy { SoftLimitUsd = 0.1m, FallbackModelId = "acme-unknown" }, Priced);

        Assert.Throws<UnknownModelPriceException>(() => tracker.EnsurePriced("big"));
    }

    [Fact]
    public async Task EscalateAsync_CallsHookOnceWithLimitAndTranscript()
    {
        var calls = new List<BudgetEscalation>();
        var options = new AgentGuardOptions { OnHardLimit = (e, _) => { calls.Add(e); return Task.CompletedTask; } };
        var tracker = new BudgetTracker(new BudgetPolicy { MaxSteps = 1 }, options);
        tracker.TryBeginStep(null, 0, out var r);
        tracker.CompleteStep(r, "m", default);
        tracker.TryBeginStep(null, 0, out _);

        await tracker.EscalateAsync([new(Microsoft.Extensions.AI.ChatRole.User, "hi")]);
        await tracker.EscalateAsync([]);

        var escalation = Assert.Single(calls);
        Assert.Equal(BudgetLimit.Steps, escalation.Limit);
        Assert.Single(escalation.Transcript);
    }

    [Fact]
    public void SharedBudget_ConcurrentSteps_OvershootAtMostTheReservationsInFlight()
    {
        const decimal Hard = 0.05m;
        var tracker = new BudgetTracker(new BudgetPolicy { HardLimitUsd = Hard, MaxOutputTokensPerStep = 100 }, Priced);
        var reservations = new decimal[8];

        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 200; i++)
            {
                if (!tracker.TryBeginStep("big", 100, out var r).IsAllowed)
                {
                    return;
                }

                reservations[worker] = Math.Max(reservations[worker], r.ReservedUsd);
                Thread.SpinWait(50);

                // Real steps cost what they reserved (input estimate right, output at the cap).
                tracker.CompleteStep(r, "big", new TokenUsage(r.ReservedTokens, 0, 0, 100, 0));
            }
        });

        Assert.True(tracker.SpentUsd <= Hard, $"Spent {tracker.SpentUsd} with a hard limit of {Hard}");
        Assert.True(tracker.SpentUsd > Hard - 8 * reservations.Max(), "the budget should have been nearly used");
    }
}
