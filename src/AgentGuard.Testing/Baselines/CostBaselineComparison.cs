using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AgentGuard.Testing;

/// <summary>One metric of a baseline comparison.</summary>
public sealed class CostBaselineRow
{
    /// <summary>Creates a row.</summary>
    public CostBaselineRow(string metric, string baseline, string current, double? changeRatio, bool? passed)
    {
        Metric = metric;
        Baseline = baseline;
        Current = current;
        ChangeRatio = changeRatio;
        Passed = passed;
    }

    /// <summary>The metric's name.</summary>
    public string Metric { get; }

    /// <summary>The baseline value, formatted.</summary>
    public string Baseline { get; }

    /// <summary>The current value, formatted.</summary>
    public string Current { get; }

    /// <summary>(current − baseline) ÷ baseline; <see langword="null"/> when the baseline is 0 and the current value is not.</summary>
    public double? ChangeRatio { get; }

    /// <summary>Whether the metric is within tolerance; <see langword="null"/> for metrics reported but not checked (token counts).</summary>
    public bool? Passed { get; }
}

/// <summary>The result of comparing a suite's cost with its committed baseline.</summary>
public sealed class CostBaselineComparison
{
    internal CostBaselineComparison(string baselinePath, CostBaselineMetrics? baseline, CostBaselineMetrics current, double tolerance, IReadOnlyList<CostBaselineRow> rows, bool updated)
    {
        BaselinePath = baselinePath;
        Baseline = baseline;
        Current = current;
        Tolerance = tolerance;
        Rows = rows;
        Updated = updated;
    }

    /// <summary>The baseline file compared with.</summary>
    public string BaselinePath { get; }

    /// <summary>The baseline, or <see langword="null"/> when the file does not exist.</summary>
    public CostBaselineMetrics? Baseline { get; }

    /// <summary>The metrics of the current run.</summary>
    public CostBaselineMetrics Current { get; }

    /// <summary>The relative tolerance (0.20 = 20%).</summary>
    public double Tolerance { get; }

    /// <summary>The metrics compared, in order.</summary>
    public IReadOnlyList<CostBaselineRow> Rows { get; }

    /// <summary>Whether the baseline was rewritten with the current metrics (update mode).</summary>
    public bool Updated { get; }

    /// <summary>Whether a baseline exists and every checked metric is within tolerance.</summary>
    public bool Passed
    {
        get
        {
            if (Baseline is null)
            {
                return Updated;
            }

            foreach (var row in Rows)
            {
                if (row.Passed == false)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The comparison as a markdown table: metric, baseline, current, change and ✔ or ✘.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        if (Baseline is null && !Updated)
        {
            text.Append("No cost baseline at ").Append(BaselinePath).Append("; set ").Append(CostBaseline.UpdateEnvironmentVariable)
                .Append("=1 or call CostBaseline.Update to write one.\n");
            return text.ToString();
        }

        text.Append("Suite `").Append(Current.Suite).Append("`, tolerance ")
            .Append((Tolerance * 100).ToString("0.##", CultureInfo.InvariantCulture)).Append("%\n\n");
        text.Append("| Metric | Baseline | Current | Change | |\n|---|---:|---:|---:|:-:|\n");
        foreach (var row in Rows)
        {
            text.Append("| ").Append(row.Metric)
                .Append(" | ").Append(row.Baseline)
                .Append(" | ").Append(row.Current)
                .Append(" | ").Append(Change(row.ChangeRatio))
                .Append(" | ").Append(row.Passed switch { true => "✔", false => "✘", null => string.Empty })
                .Append(" |\n");
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToMarkdown();

    private static string Change(double? ratio)
        => ratio is { } value
            ? (value >= 0 ? "+" : string.Empty) + (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%"
            : "new";
}

/// <summary>A suite's cost is outside its committed baseline; the message is the comparison table.</summary>
public sealed class CostBaselineExceededException : Exception
{
    /// <summary>Creates the exception for <paramref name="comparison"/>.</summary>
    public CostBaselineExceededException(CostBaselineComparison comparison)
        : base("The cost is outside its baseline.\n\n" + (comparison ?? throw new ArgumentNullException(nameof(comparison))).ToMarkdown())
    {
        Comparison = comparison;
    }

    /// <summary>The comparison that failed.</summary>
    public CostBaselineComparison Comparison { get; }
}
