using System;
using System.Collections.Generic;

namespace AgentGuard;

/// <summary>
/// The limits of one run. Call limits end the loop; the hard limit stops the run and hands it to a person; the
/// soft limit raises an alert and switches later steps to a cheaper model while the run goes on. A limit left
/// <see langword="null"/> is not enforced.
/// </summary>
public sealed class BudgetPolicy
{
    /// <summary>The default alert thresholds: 50%, 80% and 100% of the hard limit.</summary>
    public static IReadOnlyList<double> DefaultAlertThresholds { get; } = new[] { 0.5, 0.8, 1.0 };

    /// <summary>The most model calls one run may make.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>The most tool calls one run may execute.</summary>
    public int? MaxToolCalls { get; init; }

    /// <summary>The most tokens (input and output) one run may consume.</summary>
    public long? MaxTotalTokens { get; init; }

    /// <summary>The output cap applied to every request that does not set a lower one.</summary>
    public int? MaxOutputTokensPerStep { get; init; }

    /// <summary>Spend at which the run raises an alert and switches to <see cref="FallbackModelId"/>.</summary>
    public decimal? SoftLimitUsd { get; init; }

    /// <summary>Spend at which the run stops.</summary>
    public decimal? HardLimitUsd { get; init; }

    /// <summary>How often a failing tool is retried in one run: after <c>1 + MaxRetriesPerTool</c> failures it is not run again.</summary>
    public int? MaxRetriesPerTool { get; init; }

    /// <summary>The model requested once the soft limit is passed.</summary>
    public string? FallbackModelId { get; init; }

    /// <summary>Fractions of the hard limit at which an alert is raised, once each.</summary>
    public IReadOnlyList<double> AlertThresholds { get; init; } = DefaultAlertThresholds;

    /// <summary>Whether the policy limits spend in dollars, and so needs prices.</summary>
    public bool HasUsdLimits => SoftLimitUsd is not null || HardLimitUsd is not null;

    /// <summary>A policy with no limits.</summary>
    public static BudgetPolicy Unlimited { get; } = new();

    /// <summary>
    /// Builds a policy from <c>[Budget]</c>'s values, where 0 means "not set".
    /// </summary>
    public static BudgetPolicy FromAttributeValues(int maxSteps, int maxToolCalls, int maxOutputTokensPerStep, int maxTotalTokens, double softLimitUsd, double hardLimitUsd, int maxRetriesPerTool, string? fallbackModelId)
        => new()
        {
            MaxSteps = maxSteps > 0 ? maxSteps : null,
            MaxToolCalls = maxToolCalls > 0 ? maxToolCalls : null,
            MaxOutputTokensPerStep = maxOutputTokensPerStep > 0 ? maxOutputTokensPerStep : null,
            MaxTotalTokens = maxTotalTokens > 0 ? maxTotalTokens : null,
            SoftLimitUsd = softLimitUsd > 0 ? (decimal)softLimitUsd : null,
            HardLimitUsd = hardLimitUsd > 0 ? (decimal)hardLimitUsd : null,
            MaxRetriesPerTool = maxRetriesPerTool > 0 ? maxRetriesPerTool : null,
            FallbackModelId = string.IsNullOrWhiteSpace(fallbackModelId) ? null : fallbackModelId,
        };

    /// <summary>
    /// This policy with every limit <paramref name="overrides"/> sets replacing this one's.
    /// </summary>
    public BudgetPolicy With(BudgetPolicy? overrides)
        => overrides is null
            ? this
            : new BudgetPolicy
            {
                MaxSteps = overrides.MaxSteps ?? MaxSteps,
                MaxToolCalls = overrides.MaxToolCalls ?? MaxToolCalls,
                MaxTotalTokens = overrides.MaxTotalTokens ?? MaxTotalTokens,
                MaxOutputTokensPerStep = overrides.MaxOutputTokensPerStep ?? MaxOutputTokensPerStep,
                SoftLimitUsd = overrides.SoftLimitUsd ?? SoftLimitUsd,
                HardLimitUsd = overrides.HardLimitUsd ?? HardLimitUsd,
                MaxRetriesPerTool = overrides.MaxRetriesPerTool ?? MaxRetriesPerTool,
                FallbackModelId = overrides.FallbackModelId ?? FallbackModelId,
                AlertThresholds = ReferenceEquals(overrides.AlertThresholds, DefaultAlertThresholds) ? AlertThresholds : overrides.AlertThresholds,
            };

    /// <inheritdoc/>
    public override string ToString()
    {
        var parts = new List<string>();
        if (MaxSteps is int steps) parts.Add($"{steps} steps");
        if (MaxToolCalls is int tools) parts.Add($"{tools} tool calls");
        if (MaxTotalTokens is long tokens) parts.Add($"{tokens} tokens");
        if (MaxOutputTokensPerStep is int cap) parts.Add($"{cap} output tokens/step");
        if (SoftLimitUsd is decimal soft) parts.Add($"soft ${soft}");
        if (HardLimitUsd is decimal hard) parts.Add($"hard ${hard}");
        if (MaxRetriesPerTool is int retries) parts.Add($"{retries} retries/tool");
        return parts.Count == 0 ? "unlimited" : string.Join(", ", parts);
    }
}
