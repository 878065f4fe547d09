namespace AgentGuard;

/// <summary>Whether the budget lets a step or a tool call start, and if not, which limit stops it.</summary>
public readonly struct BudgetDecision
{
    private BudgetDecision(BudgetLimit limit, string? reason)
    {
        Limit = limit;
        Reason = reason;
    }

    /// <summary>The decision that lets the work start.</summary>
    public static BudgetDecision Allowed => default;

    /// <summary>Whether the work may start.</summary>
    public bool IsAllowed => Limit == BudgetLimit.None;

    /// <summary>The limit that refused it, or <see cref="BudgetLimit.None"/>.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>Why, in words a person (or a model) can act on.</summary>
    public string? Reason { get; }

    /// <summary>A refusal by <paramref name="limit"/>.</summary>
    public static BudgetDecision Refused(BudgetLimit limit, string reason) => new(limit, reason);

    /// <inheritdoc/>
    public override string ToString() => IsAllowed ? "allowed" : $"{Limit}: {Reason}";
}
