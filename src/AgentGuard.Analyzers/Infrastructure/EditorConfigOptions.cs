using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// Reads AgentGuard's <c>.editorconfig</c> options. Rule-scoped keys are <c>AG0001.max_steps</c>; keys shared by
/// several rules are <c>agentguard.name</c>. Keys are case-insensitive; a missing or malformed value yields the
/// default.
/// </summary>
public static class EditorConfigOptions
{
    /// <summary>Extra model-call methods, as a comma-separated list of <c>Namespace.Type.Method</c>.</summary>
    public const string ModelCallMethodsKey = "agentguard.model_call_methods";

    /// <summary>The output cap the AG0002 fix inserts.</summary>
    public const string DefaultMaxOutputTokensKey = "agentguard.default_max_output_tokens";
    public const int DefaultMaxOutputTokens = 1024;

    /// <summary>The step limit the AG0001 fix inserts.</summary>
    public const string MaxStepsKey = "AG0001.max_steps";
    public const int DefaultMaxSteps = 25;

    /// <summary>The largest <c>MaximumIterationsPerRequest</c> AG0001 accepts.</summary>
    public const string MaxIterationsKey = "AG0001.max_iterations";
    public const int DefaultMaxIterations = 50;

    /// <summary>How many recent messages the AG0005 fix keeps.</summary>
    public const string MaxHistoryMessagesKey = "AG0005.max_messages";
    public const int DefaultMaxHistoryMessages = 20;

    /// <summary>The attempt limit the AG0006 fix inserts.</summary>
    public const string MaxRetryAttemptsKey = "AG0006.max_attempts";
    public const int DefaultMaxRetryAttempts = 3;

    /// <summary>How long constant prompt text must be before AG0003 cares about what precedes it.</summary>
    public const string MinStableLengthKey = "AG0003.min_stable_length";
    public const int DefaultMinStableLength = 32;

    /// <summary>
    /// How long the constant text of a Semantic Kernel prompt template must be before AG0003 cares about a variable
    /// ahead of it: the template is the whole request, so only a stable part the provider would cache on its own
    /// (about 1,024 tokens, some 4,096 characters) is worth keeping first.
    /// </summary>
    public const string MinTemplateStableLengthKey = "AG0003.min_template_stable_length";
    public const int DefaultMinTemplateStableLength = 4096;

    /// <summary>Method names AG0004 treats as writes, in addition to (or, with a leading <c>!</c>, instead of) the built-in list.</summary>
    public const string SideEffectMethodNamesKey = "AG0004.side_effect_methods";

    /// <summary>Reads a positive whole number for <paramref name="tree"/>, or <paramref name="defaultValue"/>.</summary>
    public static int GetInt(AnalyzerOptions options, SyntaxTree tree, string key, int defaultValue)
        => GetInt(options.AnalyzerConfigOptionsProvider.GetOptions(tree), key, defaultValue);

    /// <summary>Reads a positive whole number, or <paramref name="defaultValue"/>.</summary>
    public static int GetInt(AnalyzerConfigOptions options, string key, int defaultValue)
        => options.TryGetValue(key, out var raw)
            && int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && value > 0
                ? value
                : defaultValue;

    /// <summary>Reads a string option, or <see langword="null"/>.</summary>
    public static string? GetString(AnalyzerOptions options, SyntaxTree tree, string key)
        => options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var raw) ? raw : null;

    /// <summary>Splits a comma- or semicolon-separated list, trimming entries and dropping empty ones.</summary>
    public static IEnumerable<string> SplitList(string value)
    {
        foreach (var part in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = part.Trim();
            if (trimmed.Length > 0)
            {
                yield return trimmed;
            }
        }
    }
}
