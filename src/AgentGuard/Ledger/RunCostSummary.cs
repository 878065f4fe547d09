using System;

namespace AgentGuard;

/// <summary>
/// Cost per task over many runs, for cost SLOs: the mean hides the runs that make the monthly bill, so the
/// summary gives the median, the 95th percentile and the maximum too, and the cost per successful task.
/// </summary>
/// <remarks>
/// <para>
/// Memory is bounded however many runs are added (about 100 KB): the count, total, minimum, maximum, mean and cost
/// per success are exact. Up to <see cref="ExactRunCapacity"/> runs every cost is kept and percentiles are exact.
/// Past it, percentiles come from a log-bucketed histogram of every cost (the DDSketch construction: bucket
/// <c>i</c> holds costs in (γ^(i-1), γ^i] with γ = 1.01005, and reports 2γ^i/(γ+1)), so every percentile is
/// within <see cref="PercentileRelativeError"/> (0.5%) of the exact nearest-rank value, on any distribution, for
/// costs between $10⁻⁹ and $10⁹ (smaller costs count as 0, larger ones as the maximum). Adding a run is O(1) and
/// nothing is sorted. The tests check the bound against exact percentiles of uniform, exponential, log-normal,
/// Pareto and bimodal costs.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class RunCostSummary
{
    /// <summary>How many runs keep exact percentiles unless told otherwise.</summary>
    public const int DefaultExactRunCapacity = 4096;

    /// <summary>The most a percentile past <see cref="ExactRunCapacity"/> runs differs from the exact one, relative to it.</summary>
    public const double PercentileRelativeError = 0.005;

    private const double LowestCost = 1e-9;
    private static readonly double Gamma = (1 + PercentileRelativeError) / (1 - PercentileRelativeError);
    private static readonly double LogGamma = Math.Log(Gamma);
    private static readonly int LowestIndex = BucketIndex(LowestCost);
    private static readonly int BucketCount = BucketIndex(1e9) - LowestIndex + 1;

    private readonly object gate = new();
    private decimal[] exact;
    private decimal[] sorted = Array.Empty<decimal>();
    private bool sortedIsCurrent;
    private long[]? buckets;
    private long zeroBucket;
    private int runs;
    private decimal total;
    private decimal min;
    private decimal max;
    private int successes;

    /// <summary>Creates a summary with exact percentiles up to <see cref="DefaultExactRunCapacity"/> runs.</summary>
    public RunCostSummary()
        : this(DefaultExactRunCapacity)
    {
    }

    /// <summary>Creates a summary with exact percentiles up to <paramref name="exactRunCapacity"/> runs.</summary>
    /// <param name="exactRunCapacity">How many run costs are kept one by one; past them, percentiles are within
    /// <see cref="PercentileRelativeError"/> of exact.</param>
    public RunCostSummary(int exactRunCapacity)
    {
        if (exactRunCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(exactRunCapacity), exactRunCapacity, "The exact-run capacity cannot be negative.");
        }

        ExactRunCapacity = exactRunCapacity;
        exact = new decimal[Math.Min(exactRunCapacity, 16)];
    }

    /// <summary>How many runs keep exact percentiles.</summary>
    public int ExactRunCapacity { get; }

    /// <summary>Runs recorded.</summary>
    public int Runs
    {
        get
        {
            lock (gate)
            {
                return runs;
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
                return runs == 0 ? 0 : total / runs;
            }
        }
    }

    /// <summary>Median cost per run.</summary>
    public decimal P50CostUsd => Percentile(0.50);

    /// <summary>95th-percentile cost per run.</summary>
    public decimal P95CostUsd => Percentile(0.95);

    /// <summary>The most one run cost (exact).</summary>
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
            runs++;
            total += costUsd;
            if (succeeded)
            {
                successes++;
            }

            if (runs == 1 || costUsd < min)
            {
                min = costUsd;
            }

            if (runs == 1 || costUsd > max)
            {
                max = costUsd;
            }

            if (runs <= ExactRunCapacity)
            {
                if (runs > exact.Length)
                {
                    Array.Resize(ref exact, (int)Math.Min((long)exact.Length * 2, ExactRunCapacity));
                }

                exact[runs - 1] = costUsd;
                sortedIsCurrent = false;
            }

            var value = (double)costUsd;
            if (value < LowestCost)
            {
                zeroBucket++;
            }
            else
            {
                buckets ??= new long[BucketCount];
                buckets[Math.Min(BucketIndex(value) - LowestIndex, BucketCount - 1)]++;
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
    /// cost that at least that share of runs did not exceed. Exact up to <see cref="ExactRunCapacity"/> runs and
    /// for 0 (the minimum) and 1 (the maximum); otherwise within <see cref="PercentileRelativeError"/> of exact (see
    /// the remarks). 0 with no runs.
    /// </summary>
    public decimal Percentile(double quantile)
    {
        if (quantile is < 0 or > 1 || double.IsNaN(quantile))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "A quantile is between 0 and 1.");
        }

        lock (gate)
        {
            if (runs == 0)
            {
                return 0;
            }

            if (quantile == 1)
            {
                return max;
            }

            if (quantile == 0)
            {
                return min;
            }

            var rank = Math.Max(1, Math.Min(runs, (long)Math.Ceiling(quantile * runs)));
            return runs <= ExactRunCapacity ? ExactPercentile((int)rank) : EstimatedPercentile(rank);
        }
    }

    private static int BucketIndex(double value) => (int)Math.Ceiling(Math.Log(value) / LogGamma);

    private decimal ExactPercentile(int rank)
    {
        if (!sortedIsCurrent)
        {
            if (sorted.Length < runs)
            {
                sorted = new decimal[exact.Length];
            }

            Array.Copy(exact, sorted, runs);
            Array.Sort(sorted, 0, runs);
            sortedIsCurrent = true;
        }

        return sorted[rank - 1];
    }

    // The bucket holding the rank-th smallest cost, reported at its centre and kept within the exact extremes.
    private decimal EstimatedPercentile(long rank)
    {
        var seen = zeroBucket;
        if (seen >= rank)
        {
            return Math.Min(0m, min) < 0 ? min : 0m;
        }

        for (var i = 0; i < BucketCount; i++)
        {
            seen += buckets![i];
            if (seen >= rank)
            {
                var estimate = 2 * Math.Pow(Gamma, i + LowestIndex) / (Gamma + 1);
                return estimate >= (double)max ? max : estimate <= (double)min ? min : (decimal)estimate;
            }
        }

        return max;
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Runs} runs: mean ${MeanCostUsd:0.####}, p50 ${P50CostUsd:0.####}, p95 ${P95CostUsd:0.####}, max ${MaxCostUsd:0.####}";
}
