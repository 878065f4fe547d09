using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace AgentGuard.Testing;

/// <summary>
/// Cost regression tests: measures a suite of agent tasks (one <see cref="CostLedger"/> per task, typically from
/// replayed runs), compares it with a committed baseline file, rewrites the baseline on request, and re-prices the
/// same steps on other models.
/// </summary>
public static class CostBaseline
{
    /// <summary>The environment variable that, set to <c>1</c>, makes <see cref="AssertWithinBaseline"/> rewrite the baseline.</summary>
    public const string UpdateEnvironmentVariable = "AGENTGUARD_UPDATE_BASELINE";

    /// <summary>The suite name used when none is given.</summary>
    public const string DefaultSuite = "default";

    /// <summary>The tolerance used when none is given: 20%.</summary>
    public const double DefaultTolerance = 0.20;

    /// <summary>
    /// Measures a suite: cost per task (mean, p95, max), steps per task (mean), cache hit rate and token totals by kind.
    /// </summary>
    /// <param name="ledgers">One ledger per task.</param>
    /// <param name="suite">The suite's name, written to the baseline.</param>
    public static CostBaselineMetrics Measure(IEnumerable<CostLedger> ledgers, string suite = DefaultSuite)
    {
        if (ledgers is null)
        {
            throw new ArgumentNullException(nameof(ledgers));
        }

        var summary = new RunCostSummary();
        var metrics = new CostBaselineMetrics { Suite = suite ?? DefaultSuite };
        long steps = 0;
        foreach (var ledger in ledgers)
        {
            if (ledger is null)
            {
                throw new ArgumentException("A ledger is null.", nameof(ledgers));
            }

            summary.Add(ledger, succeeded: true);
            metrics.Tasks++;
            steps += ledger.Steps;
            metrics.UncachedInputTokens += ledger.UncachedInputTokens;
            metrics.CachedInputTokens += ledger.CachedInputTokens;
            metrics.CacheWriteTokens += ledger.CacheWriteTokens;
            metrics.OutputTokens += ledger.OutputTokens;
            metrics.ReasoningTokens += ledger.ReasoningTokens;
            metrics.ToolResultTokens += ledger.ToolResultTokens;
        }

        metrics.TotalCostUsd = summary.TotalCostUsd;
        metrics.MeanCostPerTaskUsd = summary.MeanCostUsd;
        metrics.P95CostPerTaskUsd = summary.P95CostUsd;
        metrics.MaxCostPerTaskUsd = summary.MaxCostUsd;
        metrics.MeanStepsPerTask = metrics.Tasks == 0 ? 0 : (double)steps / metrics.Tasks;
        var input = metrics.UncachedInputTokens + metrics.CachedInputTokens + metrics.CacheWriteTokens;
        metrics.CacheHitRate = input == 0 ? 0 : (double)metrics.CachedInputTokens / input;
        return metrics;
    }

    /// <summary>Reads a baseline file; <see langword="null"/> when it does not exist.</summary>
    public static CostBaselineMetrics? Load(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize(File.ReadAllText(path, Encoding.UTF8), TestingJsonContext.Default.CostBaselineMetrics)
            ?? throw new InvalidDataException($"The cost baseline {path} is empty.");
    }

    /// <summary>Writes <paramref name="current"/> as the baseline at <paramref name="path"/> (indented JSON, fixed order); creates the folder.</summary>
    public static void Update(string path, CostBaselineMetrics current)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (current is null)
        {
            throw new ArgumentNullException(nameof(current));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var json = JsonSerializer.Serialize(current, TestingJsonContext.Default.CostBaselineMetrics).Replace("\r\n", "\n") + "\n";
        File.WriteAllText(path, json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    /// <summary>
    /// Compares <paramref name="current"/> with the baseline at <paramref name="baselinePath"/>. Cost per task (mean,
    /// p95, max) and steps per task fail when above baseline × (1 + <paramref name="tolerance"/>); the cache hit
    /// rate fails when below baseline × (1 − <paramref name="tolerance"/>). Token totals are reported, not checked.
    /// A missing baseline fails.
    /// </summary>
    public static CostBaselineComparison Compare(CostBaselineMetrics current, string baselinePath, double tolerance = DefaultTolerance)
    {
        if (current is null)
        {
            throw new ArgumentNullException(nameof(current));
        }

        if (tolerance < 0 || double.IsNaN(tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance cannot be negative.");
        }

        var baseline = Load(baselinePath);
        var rows = baseline is null ? new List<CostBaselineRow>() : Rows(baseline, current, tolerance);
        return new CostBaselineComparison(baselinePath, baseline, current, tolerance, rows, updated: false);
    }

    /// <summary>
    /// Compares <paramref name="current"/> with its baseline and throws <see cref="CostBaselineExceededException"/>
    /// (its message the comparison table) when it is outside tolerance or the baseline is missing. With the
    /// environment variable <see cref="UpdateEnvironmentVariable"/> set to <c>1</c>, rewrites the baseline instead.
    /// </summary>
    public static CostBaselineComparison AssertWithinBaseline(CostBaselineMetrics current, string baselinePath, double tolerance = DefaultTolerance)
    {
        if (Environment.GetEnvironmentVariable(UpdateEnvironmentVariable) == "1")
        {
            var previous = Load(baselinePath);
            Update(baselinePath, current);
            var rows = previous is null ? new List<CostBaselineRow>() : Rows(previous, current, tolerance);
            return new CostBaselineComparison(baselinePath, previous, current, tolerance, rows, updated: true);
        }

        var comparison = Compare(current, baselinePath, tolerance);
        if (!comparison.Passed)
        {
            throw new CostBaselineExceededException(comparison);
        }

        return comparison;
    }

    /// <summary>
    /// What the recorded steps of <paramref name="ledgers"/> would cost on <paramref name="modelId"/>: each step's
    /// <see cref="TokenUsage"/> priced with that model's <see cref="ModelPrice.CostOf"/>. Only the steps a ledger
    /// still holds (<see cref="CostLedger.HistoryCapacity"/>) are re-priced.
    /// </summary>
    /// <exception cref="UnknownModelPriceException">The table has no price for <paramref name="modelId"/>.</exception>
    public static RepricedCost Reprice(IEnumerable<CostLedger> ledgers, PriceTable prices, string modelId)
    {
        if (ledgers is null)
        {
            throw new ArgumentNullException(nameof(ledgers));
        }

        return Reprice(ledgers.Select(ledger => ledger.GetSteps().Select(step => (step.Usage, step.CostUsd))), prices, modelId);
    }

    /// <summary>
    /// What the recorded calls of <paramref name="cassettes"/> (one per task) would cost on <paramref name="modelId"/>:
    /// each response's reported usage priced with that model's <see cref="ModelPrice.CostOf"/>. Calls without
    /// reported usage count as free. The original cost is unknown to a cassette and reported as 0.
    /// </summary>
    /// <exception cref="UnknownModelPriceException">The table has no price for <paramref name="modelId"/>.</exception>
    public static RepricedCost Reprice(IEnumerable<Cassette> cassettes, PriceTable prices, string modelId)
    {
        if (cassettes is null)
        {
            throw new ArgumentNullException(nameof(cassettes));
        }

        return Reprice(
            cassettes.Select(cassette => cassette.Interactions.Select(interaction =>
                (TokenUsage.FromUsageDetails(CassetteConversion.ToUsageDetails(interaction.Response.Usage)) ?? default, 0m))),
            prices,
            modelId);
    }

    /// <summary>A markdown table of what the steps of <paramref name="ledgers"/> would cost on each of <paramref name="modelIds"/>.</summary>
    public static string RepriceTable(IEnumerable<CostLedger> ledgers, PriceTable prices, params string[] modelIds)
    {
        if (ledgers is null)
        {
            throw new ArgumentNullException(nameof(ledgers));
        }

        if (modelIds is null)
        {
            throw new ArgumentNullException(nameof(modelIds));
        }

        var tasks = ledgers.ToList();
        var text = new StringBuilder("| Model | Tasks | Steps | Total | Mean per task | Change |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var modelId in modelIds)
        {
            var cost = Reprice(tasks, prices, modelId);
            var change = cost.OriginalTotalCostUsd == 0
                ? "—"
                : ((double)((cost.TotalCostUsd - cost.OriginalTotalCostUsd) / cost.OriginalTotalCostUsd) * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
            text.Append("| ").Append(modelId)
                .Append(" | ").Append(cost.Tasks.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(cost.Steps.ToString(CultureInfo.InvariantCulture))
                .Append(" | $").Append(cost.TotalCostUsd.ToString("0.######", CultureInfo.InvariantCulture))
                .Append(" | $").Append(cost.MeanCostPerTaskUsd.ToString("0.######", CultureInfo.InvariantCulture))
                .Append(" | ").Append(change)
                .Append(" |\n");
        }

        return text.ToString();
    }

    private static RepricedCost Reprice(IEnumerable<IEnumerable<(TokenUsage Usage, decimal Cost)>> tasks, PriceTable prices, string modelId)
    {
        if (prices is null)
        {
            throw new ArgumentNullException(nameof(prices));
        }

        var price = prices.GetPrice(modelId);
        var count = 0;
        var steps = 0;
        decimal total = 0;
        decimal original = 0;
        foreach (var task in tasks)
        {
            count++;
            foreach (var (usage, cost) in task)
            {
                steps++;
                total += price.CostOf(usage);
                original += cost;
            }
        }

        return new RepricedCost(modelId, count, steps, total, original);
    }

    private static List<CostBaselineRow> Rows(CostBaselineMetrics baseline, CostBaselineMetrics current, double tolerance)
    {
        var rise = 1 + (decimal)tolerance;
        return new List<CostBaselineRow>
        {
            Cost("Cost per task, mean", baseline.MeanCostPerTaskUsd, current.MeanCostPerTaskUsd, rise),
            Cost("Cost per task, p95", baseline.P95CostPerTaskUsd, current.P95CostPerTaskUsd, rise),
            Cost("Cost per task, max", baseline.MaxCostPerTaskUsd, current.MaxCostPerTaskUsd, rise),
            new("Steps per task, mean", Number(baseline.MeanStepsPerTask), Number(current.MeanStepsPerTask), Ratio(baseline.MeanStepsPerTask, current.MeanStepsPerTask), current.MeanStepsPerTask <= baseline.MeanStepsPerTask * (1 + tolerance) + 1e-9),
            new("Cache hit rate", Percent(baseline.CacheHitRate), Percent(current.CacheHitRate), Ratio(baseline.CacheHitRate, current.CacheHitRate), current.CacheHitRate >= baseline.CacheHitRate * (1 - tolerance) - 1e-9),
            Tokens("Uncached input tokens", baseline.UncachedInputTokens, current.UncachedInputTokens),
            Tokens("Cached input tokens", baseline.CachedInputTokens, current.CachedInputTokens),
            Tokens("Cache write tokens", baseline.CacheWriteTokens, current.CacheWriteTokens),
            Tokens("Output tokens", baseline.OutputTokens, current.OutputTokens),
            Tokens("Reasoning tokens", baseline.ReasoningTokens, current.ReasoningTokens),
            Tokens("Tool-result tokens", baseline.ToolResultTokens, current.ToolResultTokens),
        };
    }

    private static CostBaselineRow Cost(string metric, decimal baseline, decimal current, decimal rise)
        => new(
            metric,
            "$" + baseline.ToString("0.######", CultureInfo.InvariantCulture),
            "$" + current.ToString("0.######", CultureInfo.InvariantCulture),
            Ratio((double)baseline, (double)current),
            current <= baseline * rise);

    private static CostBaselineRow Tokens(string metric, long baseline, long current)
        => new(metric, baseline.ToString(CultureInfo.InvariantCulture), current.ToString(CultureInfo.InvariantCulture), Ratio(baseline, current), null);

    private static double? Ratio(double baseline, double current)
        => baseline == 0 ? (current == 0 ? 0 : null) : (current - baseline) / baseline;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
