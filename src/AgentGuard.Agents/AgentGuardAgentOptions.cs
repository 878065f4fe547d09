namespace AgentGuard.Agents;

/// <summary>How <see cref="GuardedAIAgent"/> budgets an agent's runs, on top of its guard's <see cref="AgentGuardOptions"/>.</summary>
public sealed class AgentGuardAgentOptions
{
    /// <summary>Limits for each run of this agent that replace the guard's (<see cref="BudgetPolicy.With"/>); the guard's budget when <see langword="null"/>.</summary>
    public BudgetPolicy? Budget { get; set; }

    /// <summary>
    /// A budget over every run made with the same <c>AgentSession</c>: what each run uses is kept in the session's
    /// state, and a run may only spend what the session has left. Pass the same session to every run of a
    /// conversation; without a session, it limits the one run.
    /// </summary>
    public BudgetPolicy? SessionBudget { get; set; }
}
