namespace AgentGuard.Tests.Ledger;

[Collection(AgentGuard.Tests.Infrastructure.MemoryMeasurementCollection.Name)]
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

    public static TheoryData<string> Distributions() => new() { "uniform", "exponential", "lognormal", "pareto", "bimodal" };

    private static decimal[] Draw(string distribution, int count)
    {
        var random = new Random(20261101);
        var costs = new decimal[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var cost = distribution switch
            {
                "uniform" => 0.01 + u,
                "exponential" => 0.01 - (0.05 * Math.Log(1 - u)),
                "lognormal" => Math.Exp(-3 + (1.0 * Normal(random))),
                "pareto" => 0.01 / Math.Pow(1 - u, 1 / 1.5),
                "bimodal" => u < 0.9 ? 0.02 + (0.005 * Normal(random)) : 0.80 + (0.2 * random.NextDouble()),
                _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
            };
            costs[i] = Math.Round((decimal)Math.Abs(cost), 8);
        }

        return costs;
    }

    private static double Normal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static decimal Exact(decimal[] sorted, double quantile)
        => sorted[Math.Max(0, Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1))];

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_PastExactCapacity_AreWithinTheRelativeErrorOfExact(string distribution)
    {
        var costs = Draw(distribution, 200_000);
        var summary = new RunCostSummary();
        foreach (var cost in costs)
        {
            summary.Add(cost, succeeded: true);
        }

        var sorted = costs.OrderBy(c => c).ToArray();
        foreach (var quantile in new[] { 0.01, 0.25, 0.50, 0.90, 0.95, 0.99, 0.999 })
        {
            var exact = Exact(sorted, quantile);
            var estimate = summary.Percentile(quantile);
            Assert.True(Math.Abs(estimate - exact) <= (decimal)RunCostSummary.PercentileRelativeError * exact, $"{distribution} p{quantile * 100}: estimate {estimate}, exact {exact}");
        }

        Assert.Equal(sorted[^1], summary.MaxCostUsd);
        Assert.Equal(sorted[0], summary.Percentile(0));
        Assert.Equal(costs.Sum(), summary.TotalCostUsd);
        Assert.Equal(costs.Length, summary.Runs);
    }

    [Fact]
    public void Percentiles_UpToSampleCapacity_AreExact()
    {
        var costs = Draw("lognormal", 1_000);
        var summary = new RunCostSummary(exactRunCapacity: 1_000);
        foreach (var cost in costs)
        {
            summary.Add(cost, succeeded: false);
        }

        var sorted = costs.OrderBy(c => c).ToArray();
        foreach (var quantile in new[] { 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999 })
        {
            Assert.Equal(Exact(sorted, quantile), summary.Percentile(quantile));
        }
    }

    [Fact]
    public void Percentiles_ZeroCostRunsAndTinyCapacity_StayWithinExtremes()
    {
        var summary = new RunCostSummary(exactRunCapacity: 0);
        for (var i = 0; i < 90; i++)
        {
            summary.Add(0m, true);
        }

        for (var i = 0; i < 10; i++)
        {
            summary.Add(2.00m, true);
        }

        Assert.Equal(0m, summary.P50CostUsd);
        Assert.Equal(2.00m, summary.P95CostUsd);
        Assert.Equal(2.00m, summary.MaxCostUsd);
        Assert.Equal(0m, summary.Percentile(0));
    }

    [Fact]
    public void Add_AMillionRuns_KeepsMemoryBounded()
    {
        var summary = new RunCostSummary();
        summary.Add(0.01m, true);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 1_000_000; i++)
        {
            summary.Add((i % 997) / 1000m, i % 3 != 0);
        }

        _ = summary.P95CostUsd;
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(summary);

        // A list of every cost would hold 16 MB; the summary holds 4096 exact costs, their sorted copy and the histogram.
        Assert.True(grown < 2_000_000, $"The summary grew by {grown:N0} bytes over a million runs.");
        Assert.Equal(1_000_001, summary.Runs);
    }
}
