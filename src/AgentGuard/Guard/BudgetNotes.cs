using System.Collections.Generic;
using System.Globalization;

namespace AgentGuard;

/// <summary>The short texts the guard and the generated loop add after a run's conversation for the model to read.</summary>
internal static class BudgetNotes
{
    /// <summary>The wrap-up's instruction, with the reason the budget gives.</summary>
    public static string WrapUpInstruction(WrapUpOptions wrapUp, BudgetTracker tracker)
        => tracker.TrippedReason is { Length: > 0 } reason ? wrapUp.Instruction + " (" + reason + ")" : wrapUp.Instruction;

    /// <summary>
    /// What the run has left after the step being made, as one line; <see langword="null"/> when the budget sets no
    /// limit worth telling.
    /// </summary>
    public static string? Remaining(BudgetTracker tracker)
    {
        var snapshot = tracker.GetRemaining();
        var parts = new List<string>(3);
        if (snapshot.Steps is int steps)
        {
            parts.Add(steps == 1 ? "1 more model call" : steps.ToString(CultureInfo.InvariantCulture) + " more model calls");
        }

        if (snapshot.Tokens is long tokens)
        {
            parts.Add("about " + tokens.ToString("N0", CultureInfo.InvariantCulture) + " tokens");
        }

        if (snapshot.Usd is decimal usd)
        {
            parts.Add("$" + usd.ToString("0.####", CultureInfo.InvariantCulture));
        }

        if (snapshot.ToolCalls is int toolCalls)
        {
            parts.Add(toolCalls == 1 ? "1 tool call" : toolCalls.ToString(CultureInfo.InvariantCulture) + " tool calls");
        }

        return parts.Count == 0
            ? null
            : "[Budget] Left for this task after this reply: " + string.Join(", ", parts) + ". Plan to finish within it.";
    }
}
