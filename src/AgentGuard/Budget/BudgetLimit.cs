namespace AgentGuard;

/// <summary>A limit of a <see cref="BudgetPolicy"/>.</summary>
public enum BudgetLimit
{
    /// <summary>No limit.</summary>
    None = 0,

    /// <summary><see cref="BudgetPolicy.MaxSteps"/>.</summary>
    Steps,

    /// <summary><see cref="BudgetPolicy.MaxToolCalls"/>.</summary>
    ToolCalls,

    /// <summary><see cref="BudgetPolicy.MaxTotalTokens"/>.</summary>
    TotalTokens,

    /// <summary><see cref="BudgetPolicy.HardLimitUsd"/>.</summary>
    HardCost,

    /// <summary><see cref="BudgetPolicy.SoftLimitUsd"/>.</summary>
    SoftCost,

    /// <summary><see cref="BudgetPolicy.MaxRetriesPerTool"/>.</summary>
    ToolRetries,

    /// <summary>The account's circuit breaker (<see cref="SharedBudgetOptions.Breaker"/>).</summary>
    CircuitBreaker,

    /// <summary>The budget store could not be reached and the policy is to fail closed (<see cref="SharedBudgetOptions.OnStoreFailure"/>).</summary>
    StoreUnavailable,
}
