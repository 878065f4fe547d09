namespace AgentGuard.Tests.Ledger;

public sealed class CostLedgerTests
{
    [Fact]
    public void RecordStep_AddsTokensByKindAndCost()
    {
        var ledger = new CostLedger();

        ledger.RecordStep("gpt-4o", new TokenUsage(1_000, 3_000, 0, 200, 50, 400), 0.01m);
        ledger.RecordStep("gpt-4o", new TokenUsage(500, 0, 100, 100, 0, isEstimated: true), 0.002m, isPriced: false);

        Assert.Equal(2, ledger.Steps);
        Assert.Equal(0.012m, ledger.TotalCostUsd);
        Assert.Equal(1_500, ledger.UncachedInputTokens);
        Assert.Equal(3_000, ledger.CachedInputTokens);
        Assert.Equal(100, ledger.CacheWriteTokens);
        Assert.Equal(4_600, ledger.InputTokens);
        Assert.Equal(300, ledger.OutputTokens);
        Assert.Equal(50, ledger.ReasoningTokens);
        Assert.Equal(400, ledger.ToolResultTokens);
        Assert.Equal(1, ledger.EstimatedSteps);
        Assert.Equal(1, ledger.UnpricedSteps);
        Assert.Equal(new[] { 1, 2 }, ledger.GetSteps().Select(s => s.Index));
    }

    [Fact]
    public void CacheHitRate_IsCachedOverAllInput()
    {
        var ledger = new CostLedger();
        Assert.Equal(0, ledger.CacheHitRate);

        ledger.RecordStep("m", new TokenUsage(250, 750, 0, 0, 0), 0m);

        Assert.Equal(0.75, ledger.CacheHitRate);
    }

    [Fact]
    public void StepInflation_IsActualOverIdeal()
    {
        var ledger = new CostLedger();
        for (var i = 0; i < 7; i++)
        {
            ledger.RecordStep("m", default, 0m);
        }

        Assert.Equal(1.4, ledger.StepInflation(5), 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.StepInflation(0));
    }

    [Fact]
    public void RecordToolCall_CountsHitsAndFailures()
    {
        var ledger = new CostLedger();

        ledger.RecordToolCall(new ToolCallRecord("search", TimeSpan.FromMilliseconds(5), cacheHit: false, failed: false));
        ledger.RecordToolCall(new ToolCallRecord("search", TimeSpan.Zero, cacheHit: true, failed: false));
        ledger.RecordToolCall(new ToolCallRecord("refund", TimeSpan.FromMilliseconds(1), cacheHit: false, failed: true, "boom"));

        Assert.Equal(3, ledger.ToolCalls);
        Assert.Equal(1, ledger.CacheHits);
        Assert.Equal(1, ledger.ToolFailures);
        Assert.Equal("boom", ledger.GetToolCalls()[2].Error);
    }

    [Fact]
    public void RecordStep_ManyThreads_LoseNoStepAndNoCent()
    {
        const int Threads = 8;
        const int PerThread = 5_000;
        var ledger = new CostLedger(historyCapacity: Threads * PerThread);

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                ledger.RecordStep("m", new TokenUsage(10, 5, 1, 3, 1), 0.000123m);
                ledger.RecordToolCall(new ToolCallRecord("t", TimeSpan.Zero, cacheHit: i % 2 == 0, failed: false));
            }
        });

        Assert.Equal(Threads * PerThread, ledger.Steps);
        Assert.Equal(Threads * PerThread, ledger.GetSteps().Count);
        Assert.Equal(Threads * PerThread * 0.000123m, ledger.TotalCostUsd);
        Assert.Equal(Threads * PerThread * 16L, ledger.InputTokens);
        Assert.Equal(Threads * PerThread, ledger.ToolCalls);
        Assert.Equal(Threads * PerThread / 2, ledger.CacheHits);
        Assert.Equal(Enumerable.Range(1, Threads * PerThread), ledger.GetSteps().Select(s => s.Index));
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var ledger = new CostLedger();
        ledger.RecordStep("m", new TokenUsage(10, 5, 1, 3, 1, 2, isEstimated: true), 0.5m, isPriced: false);
        ledger.RecordToolCall(new ToolCallRecord("t", TimeSpan.Zero, cacheHit: true, failed: true));

        ledger.Reset();

        Assert.Equal(0, ledger.Steps);
        Assert.Equal(0, ledger.ToolCalls);
        Assert.Equal(0m, ledger.TotalCostUsd);
        Assert.Equal(0, ledger.TotalTokens);
        Assert.Equal(0, ledger.CacheHits + ledger.ToolFailures + ledger.EstimatedSteps + ledger.UnpricedSteps);
        Assert.Empty(ledger.GetSteps());
        Assert.Equal(1, ledger.RecordStep("m", default, 0m).Index);
    }

    [Fact]
    public void RecordStep_PastHistoryCapacity_KeepsRecentStepsAndExactTotals()
    {
        var ledger = new CostLedger(historyCapacity: 4);

        for (var i = 1; i <= 10; i++)
        {
            ledger.RecordStep("m" + i, new TokenUsage(i, 0, 0, 1, 0), i / 100m);
            ledger.RecordToolCall(new ToolCallRecord("t" + i, TimeSpan.Zero, cacheHit: i % 2 == 0, failed: false));
        }

        Assert.Equal(new[] { 7, 8, 9, 10 }, ledger.GetSteps().Select(s => s.Index));
        Assert.Equal(new[] { "m7", "m8", "m9", "m10" }, ledger.GetSteps().Select(s => s.ModelId));
        Assert.Equal(new[] { "t7", "t8", "t9", "t10" }, ledger.GetToolCalls().Select(c => c.Name));
        Assert.Equal(10, ledger.Steps);
        Assert.Equal(55 / 100m, ledger.TotalCostUsd);
        Assert.Equal(55, ledger.UncachedInputTokens);
        Assert.Equal(10, ledger.ToolCalls);
        Assert.Equal(5, ledger.CacheHits);
    }

    [Fact]
    public void RecordStep_BelowHistoryCapacity_KeepsEveryStep()
    {
        var ledger = new CostLedger(historyCapacity: 100);

        for (var i = 0; i < 37; i++)
        {
            ledger.RecordStep("m", default, 0.01m);
        }

        Assert.Equal(Enumerable.Range(1, 37), ledger.GetSteps().Select(s => s.Index));
        Assert.Equal(CostLedger.DefaultHistoryCapacity, new CostLedger().HistoryCapacity);
    }

    [Fact]
    public void HistoryCapacityZero_KeepsTotalsOnly()
    {
        var ledger = new CostLedger(historyCapacity: 0);

        ledger.RecordStep("m", new TokenUsage(10, 0, 0, 1, 0), 0.25m);
        ledger.RecordToolCall(new ToolCallRecord("t", TimeSpan.Zero, cacheHit: false, failed: true));

        Assert.Empty(ledger.GetSteps());
        Assert.Empty(ledger.GetToolCalls());
        Assert.Equal(1, ledger.Steps);
        Assert.Equal(0.25m, ledger.TotalCostUsd);
        Assert.Equal(1, ledger.ToolFailures);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CostLedger(historyCapacity: -1));
    }

    [Fact]
    public void Reset_AfterWrapping_StartsAFreshHistory()
    {
        var ledger = new CostLedger(historyCapacity: 3);
        for (var i = 0; i < 7; i++)
        {
            ledger.RecordStep("old", default, 0m);
        }

        ledger.Reset();
        ledger.RecordStep("new", default, 0m);

        Assert.Equal("new", Assert.Single(ledger.GetSteps()).ModelId);
    }

    [Fact]
    public void RecordStep_PastHistoryCapacity_AllocatesNothing()
    {
        var ledger = new CostLedger(historyCapacity: 16);
        var usage = new TokenUsage(10, 5, 1, 3, 1);
        for (var i = 0; i < 64; i++)
        {
            ledger.RecordStep("m", usage, 0.01m);
            ledger.RecordToolCall(new ToolCallRecord("t", TimeSpan.Zero, cacheHit: false, failed: false));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            ledger.RecordStep("m", usage, 0.01m);
            ledger.RecordToolCall(new ToolCallRecord("t", TimeSpan.Zero, cacheHit: false, failed: false));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
