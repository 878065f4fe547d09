namespace AgentGuard;

/// <summary>How an agent run ended.</summary>
public enum AgentRunStatus
{
    /// <summary>The model answered without asking for tools.</summary>
    Completed,

    /// <summary>The run made its <see cref="BudgetPolicy.MaxSteps"/> model calls.</summary>
    StepLimitReached,

    /// <summary>The run made its <see cref="BudgetPolicy.MaxToolCalls"/> tool calls.</summary>
    ToolCallLimitReached,

    /// <summary>The run used its <see cref="BudgetPolicy.MaxTotalTokens"/>.</summary>
    TokenLimitReached,

    /// <summary>The run reached its <see cref="BudgetPolicy.HardLimitUsd"/>.</summary>
    HardLimitReached,

    /// <summary>The caller cancelled the run.</summary>
    Cancelled,

    /// <summary>The model call failed (the provider threw); see <see cref="AgentRunResult.Error"/>.</summary>
    Failed,
}
