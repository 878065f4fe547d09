using System.Globalization;

namespace AgentGuard;

/// <summary>The words of a scope's refusal, the same from every store.</summary>
public static class BudgetScopeMessages
{
    /// <summary>Why <paramref name="scope"/>'s dollar limit refused a step.</summary>
    public static string Dollars(BudgetScope scope, decimal spent, decimal reserved, decimal step)
        => string.Format(CultureInfo.InvariantCulture, "The {0} budget has spent ${1:0.######} and holds ${2:0.######} for steps in flight; the next step could cost up to ${3:0.######}.", scope, spent, reserved, step);

    /// <summary>Why <paramref name="scope"/>'s token limit refused a step.</summary>
    public static string Tokens(BudgetScope scope, long spent, long reserved, long step)
        => string.Format(CultureInfo.InvariantCulture, "The {0} budget has used {1} tokens and holds {2} for steps in flight; the next step needs about {3} more.", scope, spent, reserved, step);
}
