namespace AgentGuard;

internal static class AgentRunStatuses
{
    /// <summary>The status of a run that <paramref name="limit"/> stopped (<see cref="AgentRunStatus.Completed"/> for none).</summary>
    public static AgentRunStatus FromLimit(BudgetLimit limit) => limit switch
    {
        BudgetLimit.None or BudgetLimit.SoftCost or BudgetLimit.ToolRetries => AgentRunStatus.Completed,
        BudgetLimit.Steps => AgentRunStatus.StepLimitReached,
        BudgetLimit.ToolCalls => AgentRunStatus.ToolCallLimitReached,
        BudgetLimit.TotalTokens => AgentRunStatus.TokenLimitReached,
        _ => AgentRunStatus.HardLimitReached,
    };
}
