using System;
using System.Globalization;
using Microsoft.Agents.AI;

namespace AgentGuard.Agents;

/// <summary>A budget over every run of one <see cref="AgentSession"/>, kept in the session's state between runs.</summary>
internal static class SessionBudget
{
    /// <summary>The key of the session budget's usage in <see cref="AgentSession.StateBag"/>.</summary>
    public const string StateKey = "agentguard.session_budget";

    /// <summary>
    /// The session's budget, starting from what earlier runs of <paramref name="session"/> used, drawing from the run
    /// this one is nested in (if any); <see langword="null"/> when there is no session budget.
    /// </summary>
    public static BudgetTracker? Open(AgentSession? session, BudgetPolicy? policy, AgentGuardOptions runOptions)
    {
        if (policy is null)
        {
            return null;
        }

        var options = runOptions.Clone();
        options.WrapUp = WrapUpOptions.Disabled;
        var tracker = new BudgetTracker(policy, options, null, GuardedRun.Current?.Tracker) { IsScope = true };
        if (session is not null && session.StateBag.TryGetValue<string>(StateKey, out var state) && Parse(state) is { } used)
        {
            tracker.Restore(used);
        }

        return tracker;
    }

    /// <summary>Keeps what the session's budget has used in the session, for its next run.</summary>
    public static void Save(AgentSession? session, BudgetTracker? tracker)
    {
        if (session is not null && tracker is not null)
        {
            var used = tracker.GetUsage();
            session.StateBag.SetValue(StateKey, string.Join(
                ";",
                used.SpentUsd.ToString(CultureInfo.InvariantCulture),
                used.Tokens.ToString(CultureInfo.InvariantCulture),
                used.Steps.ToString(CultureInfo.InvariantCulture),
                used.ToolCalls.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private static BudgetUsage? Parse(string? state)
    {
        var parts = state?.Split(';');
        if (parts is not { Length: 4 }
            || !decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var spent)
            || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokens)
            || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var steps)
            || !int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var toolCalls))
        {
            // A session saved by something else, or damaged: start the budget again rather than fail the run.
            return null;
        }

        return new BudgetUsage(spent, tokens, steps, toolCalls);
    }
}
