using System;

namespace AgentGuard;

/// <summary>
/// What a run may still spend under each limit its budget sets — and, for a nested run, under the outer run's —
/// after what is spent and what is held for steps in flight; <see langword="null"/> for a limit no budget sets.
/// </summary>
public readonly struct BudgetRemaining
{
    /// <summary>Creates a snapshot.</summary>
    public BudgetRemaining(int? steps, int? toolCalls, long? tokens, decimal? usd)
    {
        Steps = steps is int s ? Math.Max(0, s) : null;
        ToolCalls = toolCalls is int t ? Math.Max(0, t) : null;
        Tokens = tokens is long k ? Math.Max(0, k) : null;
        Usd = usd is decimal d ? Math.Max(0, d) : null;
    }

    /// <summary>Model calls left (<see cref="BudgetPolicy.MaxSteps"/>).</summary>
    public int? Steps { get; }

    /// <summary>Tool calls left (<see cref="BudgetPolicy.MaxToolCalls"/>).</summary>
    public int? ToolCalls { get; }

    /// <summary>Tokens left (<see cref="BudgetPolicy.MaxTotalTokens"/>).</summary>
    public long? Tokens { get; }

    /// <summary>Dollars left before the hard limit (<see cref="BudgetPolicy.HardLimitUsd"/>).</summary>
    public decimal? Usd { get; }

    /// <summary>The tighter of two snapshots, limit by limit.</summary>
    public BudgetRemaining Min(in BudgetRemaining other)
        => new(Tighter(Steps, other.Steps), Tighter(ToolCalls, other.ToolCalls), Tighter(Tokens, other.Tokens), Tighter(Usd, other.Usd));

    /// <inheritdoc/>
    public override string ToString()
        => $"steps {Steps?.ToString() ?? "∞"}, tool calls {ToolCalls?.ToString() ?? "∞"}, tokens {Tokens?.ToString() ?? "∞"}, ${Usd?.ToString("0.######") ?? "∞"}";

    private static T? Tighter<T>(T? left, T? right)
        where T : struct, IComparable<T>
        => left is T l ? (right is T r && r.CompareTo(l) < 0 ? r : l) : right;
}
