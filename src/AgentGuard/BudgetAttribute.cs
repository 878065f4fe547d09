using System;

namespace AgentGuard;

/// <summary>
/// Declares the cost limits of a <c>partial</c> agent class. The AgentGuard source generator builds the agent's
/// <c>RunAsync</c> loop from these limits: a step starts only if it still fits them. A limit left at <c>0</c> is not enforced.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BudgetAttribute : Attribute
{
    /// <summary>The most model calls one run may make.</summary>
    public int MaxSteps { get; set; }

    /// <summary>The most tool calls one run may execute.</summary>
    public int MaxToolCalls { get; set; }

    /// <summary>The output-token cap sent with every model request.</summary>
    public int MaxOutputTokensPerStep { get; set; }

    /// <summary>The most tokens (input and output, all kinds) one run may consume.</summary>
    public int MaxTotalTokens { get; set; }

    /// <summary>
    /// Spend in US dollars past which the run raises an alert and requests <see cref="FallbackModelId"/> for
    /// later steps. The run goes on.
    /// </summary>
    public double SoftLimitUsd { get; set; }

    /// <summary>Spend in US dollars at which the run stops with <c>HardLimitReached</c>.</summary>
    public double HardLimitUsd { get; set; }

    /// <summary>
    /// How many times a failing tool is retried in one run: a tool that has failed
    /// <c>1 + MaxRetriesPerTool</c> times is not executed again.
    /// </summary>
    public int MaxRetriesPerTool { get; set; }

    /// <summary>The cheaper model requested once the soft limit is passed.</summary>
    public string? FallbackModelId { get; set; }
}
