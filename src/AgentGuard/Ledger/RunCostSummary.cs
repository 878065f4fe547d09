using System;
using System.Collections.Generic;

namespace AgentGuard;

/// <summary>
/// Cost per task over many runs, for cost SLOs: the mean hides the runs that make the monthly bill, so the
/// summary gives the median, the 95th percentile and the maximum too, and the cost per successful task.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RunCostSummary
{
    private readonly object gate = new();
    private readonly List<decimal> costs = new();
    private decimal total;
    private int successes;

    /// <summary>Runs recorded.</summary>
    public int Runs
    {
        get
        {
            lock (gate)
            {
                return costs.Count;
            }
        }
    }

    /// <summary>Runs that succeeded.</summary>
    public int SuccessfulRuns
    {
        get
        {
            lock (gate)
            {
                return successes;
            }
        }
    }

    /// <summary>What all runs cost together.</summary>
    public decimal TotalCostUsd
    {
        get
        {
            lock (gate)
            {
                return total;
            }
        }
    }

    /// <summary>Mean cost per run; 0 with no runs.</summary>
    public decimal MeanCostUsd
    {
        get
        {
            lock (gate)
            {
                return costs.Count == 0 ? 0 : total / costs.Count;
            }
        }
    }

    /// <summary>Median cost per run.</summary>
    public decimal P50CostUsd => Percentile(0.50);

    /// <summary>95th-percentile cost per run.</summary>
    public decimal P95CostUsd => Percentile(0.95);

    /// <summary>The most one run cost.</summary>
    public decimal MaxCostUsd => Percentile(1.0);

    /// <summary>
    /// Total cost ÷ successful runs — failures are paid for too, so this, not the mean, is the unit cost.
    /// <see langword="null"/> before the first success.
    /// </summary>
    public decimal? CostPerSuccessfulTaskUsd
    {
        get
        {
            lock (gate)
            {
                return successes == 0 ? null : total / successes;
            }
        }
    }

    /// <summary>Records one run's cost.</summary>
    public void Add(decimal costUsd, bool succeeded)
    {
        lock (gate)
        {
            costs.Add(costUsd);
            total += costUsd;
            if (succeeded)
            {
                successes++;
            }
        }
    }

    /// <summary>Records one run from its ledger.</summary>
    public void Add(CostLedger ledger, bool succeeded)
    {
        if (ledger is null)
        {
            throw new ArgumentNullException(nameof(ledger));
        }

        Add(ledger.TotalCostUsd, succeeded);
    }

    /// <summary>
    /// The cost at quantile <paramref name="quantile"/> (0–1) by the nearest-rank method: the smallest recorded
    /// cost that at least that share of runs did not exceed. 0 with no runs.
    /// </summary>
    public decimal Percentile(double quantile)
    {
        if (quantile is < 0 or > 1 || double.IsNaN(quantile))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "A quantile is between 0 and 1.");
        }

        decimal[] sorted;
        lock (gate)
        {
            if (costs.Count == 0)
            {
                return 0;
            }

            sorted = costs.ToArray();
        }

        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(quantile * sorted.Length);
        return sorted[Math.Max(0, Math.Min(sorted.Length - 1, rank - 1))];
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Runs} runs: mean ${MeanCostUsd:0.####}, p50 ${P50CostUsd:0.####}, p95 ${P95CostUsd:0.####}, max ${MaxCostUsd:0.####}";
}
