using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Agents;

/// <summary>The [Budget] of an agent, as written.</summary>
internal sealed record BudgetSpec(
    int MaxSteps,
    int MaxToolCalls,
    int MaxOutputTokensPerStep,
    int MaxTotalTokens,
    double SoftLimitUsd,
    double HardLimitUsd,
    int MaxRetriesPerTool,
    string? FallbackModelId)
{
    /// <summary>Reads the named arguments of a <c>[Budget]</c> attribute; a property left out reads as 0 (no limit).</summary>
    public static BudgetSpec Read(AttributeData attribute)
    {
        int maxSteps = 0, maxToolCalls = 0, maxOutput = 0, maxTokens = 0, maxRetries = 0;
        double soft = 0, hard = 0;
        string? fallback = null;
        foreach (var named in attribute.NamedArguments)
        {
            var value = named.Value.Value;
            switch (named.Key)
            {
                case "MaxSteps": maxSteps = value is int a ? a : 0; break;
                case "MaxToolCalls": maxToolCalls = value is int b ? b : 0; break;
                case "MaxOutputTokensPerStep": maxOutput = value is int c ? c : 0; break;
                case "MaxTotalTokens": maxTokens = value is int d ? d : 0; break;
                case "MaxRetriesPerTool": maxRetries = value is int e ? e : 0; break;
                case "SoftLimitUsd": soft = value is double f ? f : 0; break;
                case "HardLimitUsd": hard = value is double g ? g : 0; break;
                case "FallbackModelId": fallback = value as string; break;
            }
        }

        return new BudgetSpec(maxSteps, maxToolCalls, maxOutput, maxTokens, soft, hard, maxRetries, fallback);
    }
}
