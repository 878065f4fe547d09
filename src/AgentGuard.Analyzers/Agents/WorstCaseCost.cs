using System.Globalization;

namespace AgentGuard.Analyzers.Agents;

/// <summary>The most one run of an agent can cost, from its budget's caps and the default prices.</summary>
internal static class WorstCaseCost
{
    /// <summary>
    /// The bound as a dollar amount, or <see langword="null"/> when nothing in the budget bounds spend, and the
    /// reason in words.
    /// </summary>
    public static (decimal? BoundUsd, string Explanation) Compute(BudgetSpec budget)
    {
        decimal? bound = null;
        string explanation = "nothing bounds it: set HardLimitUsd or MaxTotalTokens";

        // Invalid values (AG1012) bound nothing; the range check keeps every conversion below in decimal's range.
        if (budget.MaxTotalTokens > 0 && DefaultPrices.MaxRatePerMillion > 0)
        {
            bound = budget.MaxTotalTokens * DefaultPrices.MaxRatePerMillion / 1_000_000m;
            explanation = string.Format(CultureInfo.InvariantCulture, "MaxTotalTokens {0:N0} at the highest listed rate, ${1:0.##}/M ({2})", budget.MaxTotalTokens, DefaultPrices.MaxRatePerMillion, DefaultPrices.MaxRateModel);
        }

        if (budget.HardLimitUsd > 0 && BudgetValues.IsValidUsd(budget.HardLimitUsd) && (bound is null || (decimal)budget.HardLimitUsd < bound))
        {
            bound = (decimal)budget.HardLimitUsd;
            explanation = "HardLimitUsd; a step starts only if its worst case (input plus output cap) still fits";
        }

        return (bound, explanation);
    }

    /// <summary>"$0.50", or "unbounded".</summary>
    public static string Format(decimal? bound)
        => bound is decimal value ? "$" + value.ToString("0.00##", CultureInfo.InvariantCulture) : "an unbounded amount";
}
