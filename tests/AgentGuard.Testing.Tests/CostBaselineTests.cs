namespace AgentGuard.Testing.Tests;

public sealed class CostBaselineTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "agentguard-baseline-" + Guid.NewGuid().ToString("N"));

    private string BaselinePath => Path.Combine(folder, "support.baseline.json");

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(CostBaseline.UpdateEnvironmentVariable, null);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Each task: 2 steps of 1000 input tokens (cached as given) and 100 output tokens, costing costPerTask.
    private static CostLedger[] Tasks(decimal costPerTask, int tasks = 4, long cached = 500, int steps = 2)
        => Enumerable.Range(0, tasks).Select(_ =>
        {
            var ledger = new CostLedger();
            for (var i = 0; i < steps; i++)
            {
                ledger.RecordStep("model-a", new TokenUsage(1000 - cached, cached, 0, 100, 0), costPerTask / steps);
            }

            return ledger;
        }).ToArray();

    [Fact]
    public void Measure_gives_cost_per_task_steps_cache_hit_rate_and_tokens_by_kind()
    {
        var ledgers = Tasks(0.01m).Append(Tasks(0.05m, tasks: 1)[0]).ToArray();
        var metrics = CostBaseline.Measure(ledgers, "support");

        Assert.Equal(5, metrics.Tasks);
        Assert.Equal(0.018m, metrics.MeanCostPerTaskUsd);
        Assert.Equal(0.05m, metrics.P95CostPerTaskUsd);
        Assert.Equal(0.05m, metrics.MaxCostPerTaskUsd);
        Assert.Equal(2, metrics.MeanStepsPerTask);
        Assert.Equal(0.5, metrics.CacheHitRate);
        Assert.Equal(5000, metrics.CachedInputTokens);
        Assert.Equal(1000, metrics.OutputTokens);
    }

    [Fact]
    public void The_same_cost_passes()
    {
        CostBaseline.Update(BaselinePath, CostBaseline.Measure(Tasks(0.01m), "support"));
        var comparison = CostBaseline.Compare(CostBaseline.Measure(Tasks(0.01m), "support"), BaselinePath);

        Assert.True(comparison.Passed);
        Assert.Contains("| Cost per task, mean | $0.01 | $0.01 | +0.0% | ✔ |", comparison.ToMarkdown());
    }

    [Fact]
    public void Nineteen_percent_more_passes_and_twenty_one_percent_more_fails()
    {
        CostBaseline.Update(BaselinePath, CostBaseline.Measure(Tasks(1.00m)));

        Assert.True(CostBaseline.Compare(CostBaseline.Measure(Tasks(1.19m)), BaselinePath).Passed);
        Assert.True(CostBaseline.Compare(CostBaseline.Measure(Tasks(1.20m)), BaselinePath).Passed);
        var failed = CostBaseline.Compare(CostBaseline.Measure(Tasks(1.21m)), BaselinePath);
        Assert.False(failed.Passed);
        Assert.Contains("| Cost per task, mean | $1 | $1.21 | +21.0% | ✘ |", failed.ToMarkdown());
        Assert.Contains("| Steps per task, mean | 2 | 2 | +0.0% | ✔ |", failed.ToMarkdown());
    }

    [Fact]
    public void More_steps_and_a_lower_cache_hit_rate_fail()
    {
        CostBaseline.Update(BaselinePath, CostBaseline.Measure(Tasks(1m, steps: 4, cached: 800)));

        var moreSteps = CostBaseline.Compare(CostBaseline.Measure(Tasks(1m, steps: 5, cached: 800)), BaselinePath);
        Assert.False(moreSteps.Passed);
        Assert.Contains("| Steps per task, mean | 4 | 5 | +25.0% | ✘ |", moreSteps.ToMarkdown());

        var fewerHits = CostBaseline.Compare(CostBaseline.Measure(Tasks(1m, steps: 4, cached: 600)), BaselinePath);
        Assert.False(fewerHits.Passed);
        Assert.Contains("| Cache hit rate | 80.0% | 60.0% | -25.0% | ✘ |", fewerHits.ToMarkdown());

        Assert.True(CostBaseline.Compare(CostBaseline.Measure(Tasks(1m, steps: 4, cached: 700)), BaselinePath).Passed);
    }

    [Fact]
    public void A_missing_baseline_fails_and_says_how_to_write_one()
    {
        var comparison = CostBaseline.Compare(CostBaseline.Measure(Tasks(1m)), BaselinePath);

        Assert.False(comparison.Passed);
        Assert.Contains("AGENTGUARD_UPDATE_BASELINE=1", comparison.ToMarkdown());
    }

    [Fact]
    public void Update_mode_rewrites_the_baseline_and_otherwise_the_assertion_throws_the_table()
    {
        CostBaseline.Update(BaselinePath, CostBaseline.Measure(Tasks(1m)));
        var dearer = CostBaseline.Measure(Tasks(2m));

        var error = Assert.Throws<CostBaselineExceededException>(() => CostBaseline.AssertWithinBaseline(dearer, BaselinePath));
        Assert.Contains("| Cost per task, mean | $1 | $2 | +100.0% | ✘ |", error.Message);

        Environment.SetEnvironmentVariable(CostBaseline.UpdateEnvironmentVariable, "1");
        var updated = CostBaseline.AssertWithinBaseline(dearer, BaselinePath);
        Environment.SetEnvironmentVariable(CostBaseline.UpdateEnvironmentVariable, null);

        Assert.True(updated.Updated);
        Assert.Equal(2m, CostBaseline.Load(BaselinePath)!.MeanCostPerTaskUsd);
        Assert.True(CostBaseline.AssertWithinBaseline(dearer, BaselinePath).Passed);
    }

    [Fact]
    public void The_baseline_file_is_stable_json()
    {
        var metrics = CostBaseline.Measure(Tasks(0.01m), "support");
        CostBaseline.Update(BaselinePath, metrics);
        var first = File.ReadAllText(BaselinePath);
        CostBaseline.Update(BaselinePath, CostBaseline.Load(BaselinePath)!);

        Assert.Equal(first, File.ReadAllText(BaselinePath));
        Assert.StartsWith("{\n  \"suite\": \"support\",\n  \"tasks\": 4,", first);
    }
}
