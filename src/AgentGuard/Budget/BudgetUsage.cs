namespace AgentGuard;

/// <summary>What a budget has used: dollars, tokens, model calls and tool calls.</summary>
public readonly struct BudgetUsage
{
    /// <summary>Creates a usage snapshot.</summary>
    public BudgetUsage(decimal spentUsd, long tokens, int steps, int toolCalls)
    {
        SpentUsd = spentUsd;
        Tokens = tokens;
        Steps = steps;
        ToolCalls = toolCalls;
    }

    /// <summary>Dollars spent by completed model calls.</summary>
    public decimal SpentUsd { get; }

    /// <summary>Tokens used by completed model calls.</summary>
    public long Tokens { get; }

    /// <summary>Model calls started.</summary>
    public int Steps { get; }

    /// <summary>Tool calls started.</summary>
    public int ToolCalls { get; }

    /// <inheritdoc/>
    public override string ToString() => $"${SpentUsd:0.######}, {Tokens} tokens, {Steps} model calls, {ToolCalls} tool calls";
}
