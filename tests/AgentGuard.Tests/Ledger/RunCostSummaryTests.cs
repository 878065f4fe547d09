namespace AgentGuard.Tests.Ledger;

public sealed class RunCostSummaryTests
{
    [Fact]
    public void Percentiles_UseNearestRank()
    {
        var summary = new RunCostSummary();
        for (var i = 1; i <= 100; i++)
        {
            summary.Add(i / 100m, succeeded: i % 4 != 0);
        }

        Assert.Equal(100, summary.Runs);
        Assert.Equal(0.50m, summary.P50CostUsd);
        Assert.Equal(0.95m, summary.P95CostUsd);
        Assert.Equal(1.00m, summary.MaxCostUsd);
        Assert.Equal(50.5m / 100m, summary.MeanCostUsd);
        Assert.Equal(75, summary.SuccessfulRuns);
        Assert.Equal(50.5m / 75m, summary.CostPerSuccessfulTaskUsd);
    }

    [Fact]
    public void Empty_IsZeroAndHasNoCostPerSuccess()
    {
        var summary = new RunCostSummary();

        Assert.Equal(0m, summary.P95CostUsd);
        Assert.Equal(0m, summary.MeanCostUsd);
        Assert.Null(summary.CostPerSuccessfulTaskUsd);
    }

    [Fact]
    public void P95_IsDrivenByTheTail_NotTheMean()
    {
        var summary = new RunCostSummary();
        for (var i = 0; i < 19; i++)
        {
            summary.Add(0.10m, true);
        }

        summary.Add(5.00m, false);

        Assert.Equal(0.10m, summary.P95CostUsd);
        Assert.Equal(5.00m, summary.MaxCostUsd);
        Assert.Equal(6.90m / 20m, summary.MeanCostUsd);
        Assert.Equal(6.90m / 19m, summary.CostPerSuccessfulTaskUsd);
    }
}
