namespace AgentGuard;

/// <summary>
/// Whether the budget lets a step or a tool call start, and if not, which limit stops it. A step may also be
/// allowed as the run's wrap-up (<see cref="IsWrapUp"/>): the last step the budget can pay for, sent with tool calls turned off
/// so that the model answers from what it has.
/// </summary>
public readonly struct BudgetDecision
{
    private readonly BudgetLimit wrapUpFor;

    private BudgetDecision(BudgetLimit limit, string? reason, BudgetLimit wrapUpFor = BudgetLimit.None)
    {
        Limit = limit;
        Reason = reason;
        this.wrapUpFor = wrapUpFor;
    }

    /// <summary>The decision that lets the work start.</summary>
    public static BudgetDecision Allowed => default;

    /// <summary>Whether the work may start (as a normal step or as the wrap-up).</summary>
    public bool IsAllowed => Limit == BudgetLimit.None;

    /// <summary>
    /// Whether the step is allowed only as the run's wrap-up: <see cref="WrapUpLimit"/> leaves room for this one
    /// step and no other, so it is sent with tool calls turned off and with <see cref="WrapUpOptions.MaxOutputTokens"/>, and the
    /// run ends after it with that limit's status.
    /// </summary>
    public bool IsWrapUp => wrapUpFor != BudgetLimit.None;

    /// <summary>For a wrap-up, the limit that ends the run after it; otherwise <see cref="BudgetLimit.None"/>.</summary>
    public BudgetLimit WrapUpLimit => wrapUpFor;

    /// <summary>The limit that refused it, or <see cref="BudgetLimit.None"/>.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>Why, in words a person (or a model) can act on: the refusal's reason, or what the wrap-up is for.</summary>
    public string? Reason { get; }

    /// <summary>A refusal by <paramref name="limit"/>.</summary>
    public static BudgetDecision Refused(BudgetLimit limit, string reason) => new(limit, reason);

    /// <summary>A step allowed as the wrap-up before <paramref name="limit"/> ends the run.</summary>
    public static BudgetDecision WrapUp(BudgetLimit limit, string reason) => new(BudgetLimit.None, reason, limit);

    /// <inheritdoc/>
    public override string ToString() => IsWrapUp ? $"wrap-up before {wrapUpFor}: {Reason}" : IsAllowed ? "allowed" : $"{Limit}: {Reason}";
}
