using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// The tokens of one model step, split into the kinds providers bill differently: uncached input, cached input
/// (read), cache writes, visible output and reasoning output; plus tool-result tokens, the part of the input that
/// came back from tools (already counted in the input, reported separately).
/// </summary>
public readonly struct TokenUsage : IEquatable<TokenUsage>
{
    /// <summary>Creates a usage record.</summary>
    public TokenUsage(long uncachedInputTokens, long cachedInputTokens, long cacheWriteTokens, long outputTokens, long reasoningTokens, long toolResultTokens = 0, bool isEstimated = false)
    {
        UncachedInputTokens = Math.Max(0, uncachedInputTokens);
        CachedInputTokens = Math.Max(0, cachedInputTokens);
        CacheWriteTokens = Math.Max(0, cacheWriteTokens);
        OutputTokens = Math.Max(0, outputTokens);
        ReasoningTokens = Math.Min(Math.Max(0, reasoningTokens), OutputTokens);
        ToolResultTokens = Math.Max(0, toolResultTokens);
        IsEstimated = isEstimated;
    }

    /// <summary>Input billed at the regular rate.</summary>
    public long UncachedInputTokens { get; }

    /// <summary>Input read from the provider's prompt cache.</summary>
    public long CachedInputTokens { get; }

    /// <summary>Input written to the provider's prompt cache.</summary>
    public long CacheWriteTokens { get; }

    /// <summary>All output, reasoning included (Microsoft.Extensions.AI's convention).</summary>
    public long OutputTokens { get; }

    /// <summary>Reasoning (thinking) tokens, a part of <see cref="OutputTokens"/>.</summary>
    public long ReasoningTokens { get; }

    /// <summary>Tool results sent back to the model in this step's input.</summary>
    public long ToolResultTokens { get; }

    /// <summary>Whether the counts were estimated from the text because the provider reported no usage.</summary>
    public bool IsEstimated { get; }

    /// <summary>All input: uncached, cached and cache writes.</summary>
    public long InputTokens => UncachedInputTokens + CachedInputTokens + CacheWriteTokens;

    /// <summary>Output that is not reasoning.</summary>
    public long VisibleOutputTokens => OutputTokens - ReasoningTokens;

    /// <summary>Input plus output.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// Reads a provider's usage report. Following Microsoft.Extensions.AI, <see cref="UsageDetails.InputTokenCount"/>
    /// includes cached input and <see cref="UsageDetails.OutputTokenCount"/> includes reasoning. Cache writes come
    /// from <see cref="UsageDetails.AdditionalCounts"/> under the names providers use
    /// (<c>CacheCreationInputTokens</c>, <c>cache_creation_input_tokens</c>, …) and are taken out of the input
    /// count so no token is billed twice. Returns <see langword="null"/> when the report has no token counts.
    /// </summary>
    public static TokenUsage? FromUsageDetails(UsageDetails? usage, long toolResultTokens = 0)
    {
        if (usage is null || (usage.InputTokenCount is null && usage.OutputTokenCount is null && usage.TotalTokenCount is null))
        {
            return null;
        }

        var cached = usage.CachedInputTokenCount ?? Additional(usage, "CachedInputTokens", "CacheReadInputTokens", "cache_read_input_tokens", "InputTokenDetails.CachedTokenCount");
        var cacheWrite = Additional(usage, "CacheCreationInputTokens", "cache_creation_input_tokens", "CacheWriteInputTokens");
        var output = usage.OutputTokenCount ?? 0;
        var input = usage.InputTokenCount
            ?? (usage.TotalTokenCount is long total ? Math.Max(0, total - output) : 0);
        var reasoning = usage.ReasoningTokenCount ?? Additional(usage, "ReasoningTokens", "OutputTokenDetails.ReasoningTokenCount");

        var uncached = input - cached - cacheWrite;
        if (uncached < 0)
        {
            // The provider reported cache writes beside, not inside, the input count.
            uncached = Math.Max(0, input - cached);
        }

        return new TokenUsage(uncached, cached, cacheWrite, output, reasoning, toolResultTokens);
    }

    /// <summary>
    /// The key of <see cref="ChatMessage.AdditionalProperties"/> and <see cref="ChatResponseUpdate.AdditionalProperties"/>
    /// under which some clients leave the provider's own usage object instead of reporting
    /// <see cref="ChatResponse.Usage"/> or a <see cref="UsageContent"/> — Semantic Kernel's
    /// <c>IChatCompletionService.AsChatClient()</c> bridge among them.
    /// </summary>
    public const string UsagePropertyName = "Usage";

    private static readonly string[] InputNames = ["InputTokenCount", "InputTokens", "PromptTokens"];
    private static readonly string[] OutputNames = ["OutputTokenCount", "OutputTokens", "CompletionTokens"];
    private static readonly string[] TotalNames = ["TotalTokenCount", "TotalTokens"];
    private static readonly string[] CacheReadBesideInputNames = ["CacheReadInputTokens"];
    private static readonly string[] CacheWriteBesideInputNames = ["CacheCreationInputTokens", "CacheWriteInputTokens"];
    private static readonly string[] InputDetailsNames = ["InputTokenDetails", "PromptTokensDetails"];
    private static readonly string[] CachedNames = ["CachedTokenCount", "CachedTokens"];
    private static readonly string[] OutputDetailsNames = ["OutputTokenDetails", "CompletionTokensDetails"];
    private static readonly string[] ReasoningNames = ["ReasoningTokenCount", "ReasoningTokens"];

    private static readonly HashSet<string> UsagePropertyNames = new(StringComparer.Ordinal)
    {
        "InputTokenCount", "InputTokens", "PromptTokens",
        "OutputTokenCount", "OutputTokens", "CompletionTokens",
        "TotalTokenCount", "TotalTokens",
        "CacheReadInputTokens", "CacheCreationInputTokens", "CacheWriteInputTokens",
        "InputTokenDetails", "PromptTokensDetails", "CachedTokenCount", "CachedTokens",
        "OutputTokenDetails", "CompletionTokensDetails", "ReasoningTokenCount", "ReasoningTokens",
    };

    private static readonly ConcurrentDictionary<Type, Dictionary<string, PropertyInfo>> UsageShapes = new();

    /// <summary>
    /// Reads the usage a client left under <see cref="UsagePropertyName"/> in <paramref name="properties"/> — a
    /// <see cref="UsageDetails"/>, a <see cref="UsageContent"/>, or a provider SDK's usage object read by its public
    /// properties: input from <c>InputTokenCount</c>, <c>InputTokens</c> or <c>PromptTokens</c>; output from
    /// <c>OutputTokenCount</c>, <c>OutputTokens</c> or <c>CompletionTokens</c>; total from <c>TotalTokenCount</c> or
    /// <c>TotalTokens</c>; cached input (part of the input) from <c>InputTokenDetails.CachedTokenCount</c> or
    /// <c>PromptTokensDetails.CachedTokens</c>; cache reads and writes reported beside the input from
    /// <c>CacheReadInputTokens</c>, <c>CacheCreationInputTokens</c> or <c>CacheWriteInputTokens</c>; reasoning (part of
    /// the output) from <c>OutputTokenDetails.ReasoningTokenCount</c> or <c>CompletionTokensDetails.ReasoningTokens</c>.
    /// Returns <see langword="null"/>, never throws, when there is no such entry or it has no token counts.
    /// </summary>
    public static TokenUsage? FromAdditionalProperties(AdditionalPropertiesDictionary? properties, long toolResultTokens = 0)
        => FromUsageDetails(UsageDetailsFromAdditionalProperties(properties), toolResultTokens);

    /// <summary>
    /// The usage under <see cref="UsagePropertyName"/> in <paramref name="properties"/> as a new
    /// <see cref="UsageDetails"/>, or <see langword="null"/> when there is none with token counts.
    /// </summary>
    internal static UsageDetails? UsageDetailsFromAdditionalProperties(AdditionalPropertiesDictionary? properties)
        => properties is not null && properties.TryGetValue(UsagePropertyName, out var value) ? UsageDetailsFromObject(value) : null;

    /// <summary>
    /// A usage object as a new <see cref="UsageDetails"/> (see
    /// <see cref="FromAdditionalProperties(AdditionalPropertiesDictionary?, long)"/> for the shapes read), or
    /// <see langword="null"/> when it has no token counts or cannot be read.
    /// </summary>
    internal static UsageDetails? UsageDetailsFromObject(object? value)
    {
        try
        {
            var details = value switch
            {
                null or string => null,
                UsageDetails reported => Copy(reported),
                UsageContent content => Copy(content.Details),
                _ => ReadUsageObject(value),
            };

            return details is { InputTokenCount: not null } or { OutputTokenCount: not null } or { TotalTokenCount: not null } ? details : null;
        }
        catch (Exception)
        {
            // A usage object that cannot be read is no usage report: the step falls back to the estimate.
            return null;
        }
    }

    /// <summary>The sum of two usages; estimated if either is.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right)
        => new(
            left.UncachedInputTokens + right.UncachedInputTokens,
            left.CachedInputTokens + right.CachedInputTokens,
            left.CacheWriteTokens + right.CacheWriteTokens,
            left.OutputTokens + right.OutputTokens,
            left.ReasoningTokens + right.ReasoningTokens,
            left.ToolResultTokens + right.ToolResultTokens,
            left.IsEstimated || right.IsEstimated);

    /// <inheritdoc/>
    public bool Equals(TokenUsage other)
        => UncachedInputTokens == other.UncachedInputTokens
            && CachedInputTokens == other.CachedInputTokens
            && CacheWriteTokens == other.CacheWriteTokens
            && OutputTokens == other.OutputTokens
            && ReasoningTokens == other.ReasoningTokens
            && ToolResultTokens == other.ToolResultTokens
            && IsEstimated == other.IsEstimated;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TokenUsage other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
        => (int)(UncachedInputTokens ^ (CachedInputTokens << 7) ^ (CacheWriteTokens << 13) ^ (OutputTokens << 19) ^ (ReasoningTokens << 23) ^ (ToolResultTokens << 29));

    /// <summary>Equality.</summary>
    public static bool operator ==(TokenUsage left, TokenUsage right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TokenUsage left, TokenUsage right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString()
        => $"in {InputTokens} (uncached {UncachedInputTokens}, cached {CachedInputTokens}, cache write {CacheWriteTokens}), out {OutputTokens} (reasoning {ReasoningTokens}), tool results {ToolResultTokens}{(IsEstimated ? ", estimated" : string.Empty)}";

    private static UsageDetails Copy(UsageDetails reported)
    {
        var copy = new UsageDetails();
        copy.Add(reported);
        return copy;
    }

    private static UsageDetails? ReadUsageObject(object value)
    {
        var input = Count(value, InputNames);
        var output = Count(value, OutputNames);
        var total = Count(value, TotalNames);
        if (input is null && output is null && total is null)
        {
            return null;
        }

        var cacheReadBeside = Count(value, CacheReadBesideInputNames) ?? 0;
        var cacheWriteBeside = Count(value, CacheWriteBesideInputNames) ?? 0;
        var cached = Count(Property(value, InputDetailsNames), CachedNames);
        var reasoning = Count(Property(value, OutputDetailsNames), ReasoningNames);

        var details = new UsageDetails
        {
            InputTokenCount = input + cacheReadBeside + cacheWriteBeside,
            OutputTokenCount = output,
            TotalTokenCount = total,
            CachedInputTokenCount = cached ?? (cacheReadBeside > 0 ? cacheReadBeside : null),
            ReasoningTokenCount = reasoning,
        };
        if (cacheWriteBeside > 0)
        {
            details.AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CacheCreationInputTokens"] = cacheWriteBeside };
        }

        return details;
    }

    private static long? Count(object? value, string[] names)
        => Property(value, names) switch
        {
            long count => count,
            int count => count,
            uint count => count,
            short count => count,
            ushort count => count,
            ulong count when count <= long.MaxValue => (long)count,
            _ => null,
        };

    private static object? Property(object? value, string[] names)
    {
        if (value is null)
        {
            return null;
        }

        var shape = UsageShapes.GetOrAdd(value.GetType(), UsageShapeOf);
        foreach (var name in names)
        {
            if (shape.TryGetValue(name, out var property))
            {
                return property.GetValue(value);
            }
        }

        return null;
    }

#if NET8_0_OR_GREATER
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Usage objects are read by their public properties when present. A trimmed app that removed them reads no usage there, and the step falls back to the estimate of what was sent and received, never to free.")]
#endif
    private static Dictionary<string, PropertyInfo> UsageShapeOf(Type type)
    {
        var shape = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        if (type.IsPrimitive || type.IsEnum)
        {
            return shape;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (UsagePropertyNames.Contains(property.Name) && property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && !shape.ContainsKey(property.Name))
            {
                shape.Add(property.Name, property);
            }
        }

        return shape;
    }

    private static long Additional(UsageDetails usage, params string[] names)
    {
        if (usage.AdditionalCounts is not { Count: > 0 } counts)
        {
            return 0;
        }

        foreach (var name in names)
        {
            if (counts.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return 0;
    }
}
