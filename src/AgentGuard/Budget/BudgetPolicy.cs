using System;
using System.Collections.Generic;
using System.Globalization;

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

    /// <summary>
    /// Checks that every limit set can be enforced: counts and dollar limits positive (<see cref="MaxToolCalls"/>
    /// and <see cref="MaxRetriesPerTool"/> may be 0), the soft limit below the hard limit, a non-blank fallback
    /// model and alert thresholds that are fractions of the hard limit in (0, 1]. <see cref="BudgetTracker"/> and
    /// <see cref="BudgetChatClient"/> call it when they are created, so a bad policy fails before any model call.
    /// </summary>
    /// <exception cref="ArgumentException">A limit is out of range or contradicts another; the exception's
    /// <see cref="ArgumentException.ParamName"/> names the property.</exception>
    public void Validate()
    {
        Positive(MaxSteps, nameof(MaxSteps), "a run that may make no model call cannot do anything");
        NotNegative(MaxToolCalls, nameof(MaxToolCalls));
        Positive(MaxTotalTokens, nameof(MaxTotalTokens), "a run that may use no tokens cannot make a model call");
        Positive(MaxOutputTokensPerStep, nameof(MaxOutputTokensPerStep), "a model cannot answer in 0 tokens");
        NotNegative(MaxRetriesPerTool, nameof(MaxRetriesPerTool));
        Positive(SoftLimitUsd, nameof(SoftLimitUsd), "leave it unset for no soft limit");
        Positive(HardLimitUsd, nameof(HardLimitUsd), "leave it unset for no dollar limit");

        if (SoftLimitUsd is decimal soft && HardLimitUsd is decimal hard && soft >= hard)
        {
            throw new ArgumentException(
                $"BudgetPolicy.SoftLimitUsd (${soft}) must be below HardLimitUsd (${hard}): the soft limit switches to the fallback model before the hard limit stops the run.",
                nameof(SoftLimitUsd));
        }

        if (FallbackModelId is { } fallback && string.IsNullOrWhiteSpace(fallback))
        {
            throw new ArgumentException("BudgetPolicy.FallbackModelId is blank; set a model ID or leave it unset.", nameof(FallbackModelId));
        }

        if (AlertThresholds is null)
        {
            throw new ArgumentNullException(nameof(AlertThresholds), "BudgetPolicy.AlertThresholds is null; use an empty list for no threshold alerts.");
        }

        foreach (var threshold in AlertThresholds)
        {
            if (double.IsNaN(threshold) || threshold <= 0 || threshold > 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(AlertThresholds),
                    threshold,
                    $"BudgetPolicy.AlertThresholds holds {threshold.ToString(CultureInfo.InvariantCulture)}; each threshold is a fraction of the hard limit, above 0 and at most 1.");
            }
        }
    }

    private static void Positive<T>(T? value, string name, string why)
        where T : struct, IComparable<T>
    {
        if (value is T set && set.CompareTo(default) <= 0)
        {
            throw new ArgumentOutOfRangeException(name, set, $"BudgetPolicy.{name} is {Format(set)}; it must be positive ({why}).");
        }
    }

    private static void NotNegative(int? value, string name)
    {
        if (value is int set && set < 0)
        {
            throw new ArgumentOutOfRangeException(name, set, $"BudgetPolicy.{name} is {set}; it must be 0 or more.");
        }
    }

    private static string Format<T>(T value) => value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "null";

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
