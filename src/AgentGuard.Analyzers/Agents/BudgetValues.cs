using System.Collections.Generic;
using System.Globalization;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// Which <c>[Budget]</c> values the runtime can honour. Shared by the declaration analyzer, which reports the rest as
/// AG1012, and the generator, which emits nothing for a budget with such a value: the generated budget is built in a
/// static initializer, where a value the runtime rejects would fail the whole agent type at run time.
/// </summary>
internal static class BudgetValues
{
    /// <summary>The largest dollar limit accepted: a trillion dollars a run is a typo, not a budget.</summary>
    public const double MaxUsd = 1e12;

    /// <summary>Whether a dollar limit is a finite amount from 0 (not set) to <see cref="MaxUsd"/>.</summary>
    public static bool IsValidUsd(double value) => value >= 0 && value <= MaxUsd;

    /// <summary>Whether the soft limit is set at or above the hard limit (AG1006), which the runtime rejects.</summary>
    public static bool SoftNotBelowHard(BudgetSpec budget)
        => budget.SoftLimitUsd > 0 && budget.HardLimitUsd > 0 && budget.SoftLimitUsd >= budget.HardLimitUsd;

    /// <summary>Whether the generator can emit this budget: every value in range and the limits consistent.</summary>
    public static bool CanGenerate(BudgetSpec budget) => Problems(budget) is null && !SoftNotBelowHard(budget);

    /// <summary>Each property of <paramref name="budget"/> whose value is out of range, with the value as written.</summary>
    public static List<(string Property, string Value)>? Problems(BudgetSpec budget)
    {
        List<(string, string)>? problems = null;
        void Count(string property, int value)
        {
            if (value < 0)
            {
                (problems ??= new()).Add((property, value.ToString(CultureInfo.InvariantCulture)));
            }
        }

        void Usd(string property, double value)
        {
            if (!IsValidUsd(value))
            {
                (problems ??= new()).Add((property, double.IsNaN(value) ? "double.NaN"
                    : double.IsPositiveInfinity(value) ? "double.PositiveInfinity"
                    : double.IsNegativeInfinity(value) ? "double.NegativeInfinity"
                    : value.ToString("R", CultureInfo.InvariantCulture)));
            }
        }

        Count("MaxSteps", budget.MaxSteps);
        Count("MaxToolCalls", budget.MaxToolCalls);
        Count("MaxOutputTokensPerStep", budget.MaxOutputTokensPerStep);
        Count("MaxTotalTokens", budget.MaxTotalTokens);
        Count("MaxRetriesPerTool", budget.MaxRetriesPerTool);
        Usd("SoftLimitUsd", budget.SoftLimitUsd);
        Usd("HardLimitUsd", budget.HardLimitUsd);
        return problems;
    }
}
