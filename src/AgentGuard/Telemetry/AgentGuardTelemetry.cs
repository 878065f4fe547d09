using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentGuard;

/// <summary>
/// AgentGuard's metrics and traces: a <see cref="Meter"/> and an <see cref="ActivitySource"/> both named
/// <c>AgentGuard</c>, with tags in the OpenTelemetry GenAI style. Subscribe with
/// <c>AddMeter("AgentGuard")</c> / <c>AddSource("AgentGuard")</c>; AgentGuard itself does not depend on OpenTelemetry.
/// </summary>
public static class AgentGuardTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "AgentGuard";

    private static readonly Meter Meter = new(Name, typeof(AgentGuardTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly ActivitySource Source = new(Name, typeof(AgentGuardTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Counter<double> CostCounter = Meter.CreateCounter<double>("agentguard.cost", "USD", "What model calls cost.");
    private static readonly Counter<long> TokenCounter = Meter.CreateCounter<long>("agentguard.tokens", "{token}", "Tokens by kind (gen_ai.token.type: input, cached_input, cache_write, output, reasoning, tool_result).");
    private static readonly Counter<long> StepCounter = Meter.CreateCounter<long>("agentguard.steps", "{step}", "Model calls.");
    private static readonly Counter<long> ToolCallCounter = Meter.CreateCounter<long>("agentguard.tool_calls", "{call}", "Tool calls.");
    private static readonly Counter<long> CacheHitCounter = Meter.CreateCounter<long>("agentguard.tool_cache.hits", "{hit}", "Tool calls answered from the tool-result cache.");
    private static readonly Counter<long> UncacheableCounter = Meter.CreateCounter<long>("agentguard.tool_cache.uncacheable", "{call}", "Cacheable tool calls that ran without the cache because an argument has no JSON form.");
    private static readonly Counter<long> StoreFaultCounter = Meter.CreateCounter<long>("agentguard.tool_cache.store_faults", "{fault}", "External tool-result store reads or writes that failed or returned a corrupt value; the call ran the tool instead.");
    private static readonly Counter<long> StoreFailureCounter = Meter.CreateCounter<long>("agentguard.budget.store_failures", "{failure}", "Budget store operations that failed (agentguard.outcome: fail_closed, fail_open, settle, renew).");
    private static readonly Counter<long> TripCounter = Meter.CreateCounter<long>("agentguard.budget.trips", "{trip}", "Runs stopped by a budget limit.");

    /// <summary>
    /// Whether metrics carry the user and session of <see cref="BudgetContext.Current"/> as tags
    /// (<c>agentguard.user</c>, <c>agentguard.session</c>). Off by default: their number is unbounded, so they go on
    /// traces only; the tenant and the agent are always tags.
    /// </summary>
    public static bool UserAndSessionInMetrics { get; set; }

    internal static void RecordStoreFailure(string outcome) => StoreFailureCounter.Add(1, new KeyValuePair<string, object?>("agentguard.outcome", outcome));

    internal static void RecordStep(in StepRecord step, string? requestedModel, string? agentName)
    {
        if (!CostCounter.Enabled && !TokenCounter.Enabled && !StepCounter.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.request.model", requestedModel },
            { "gen_ai.response.model", step.ModelId },
        };
        if (agentName is not null)
        {
            tags.Add("gen_ai.agent.name", agentName);
        }

        Attribute(ref tags);
        StepCounter.Add(1, tags);
        CostCounter.Add((double)step.CostUsd, tags);
        if (TokenCounter.Enabled)
        {
            AddTokens(step.Usage.UncachedInputTokens, "input", tags);
            AddTokens(step.Usage.CachedInputTokens, "cached_input", tags);
            AddTokens(step.Usage.CacheWriteTokens, "cache_write", tags);
            AddTokens(step.Usage.VisibleOutputTokens, "output", tags);
            AddTokens(step.Usage.ReasoningTokens, "reasoning", tags);
            AddTokens(step.Usage.ToolResultTokens, "tool_result", tags);
        }
    }

    internal static void RecordToolCall(in ToolCallRecord call, string? agentName)
    {
        if (!ToolCallCounter.Enabled && !CacheHitCounter.Enabled)
        {
            return;
        }

        // The model chooses the name: an undeclared one is tagged "unknown", never recorded verbatim.
        var toolName = ToolNameTags.Default.For(call);
        var errorType = !call.Failed ? null : ToolOutcome.IsUnknownToolError(call.Name, call.Error) ? "unknown_tool" : "tool_error";
        var tags = new TagList { { "gen_ai.tool.name", toolName }, { "error.type", errorType } };
        if (agentName is not null)
        {
            tags.Add("gen_ai.agent.name", agentName);
        }

        ToolCallCounter.Add(1, tags);
        if (call.CacheHit)
        {
            CacheHitCounter.Add(1, tags);
        }
    }

    internal static void RecordUncacheableCall() => UncacheableCounter.Add(1);

    /// <param name="operation"><c>read</c> or <c>write</c>.</param>
    /// <param name="errorType">A fixed value: <c>exception</c>, <c>corrupt_value</c> or <c>unserializable_result</c>.</param>
    internal static void RecordStoreFault(string operation, string errorType)
    {
        if (StoreFaultCounter.Enabled)
        {
            StoreFaultCounter.Add(1, new TagList { { "agentguard.tool_cache.operation", operation }, { "error.type", errorType } });
        }
    }

    internal static void RecordTrip(BudgetLimit limit, string? agentName, string reason)
    {
        var tags = new TagList { { "agentguard.budget.limit", limit.ToString() } };
        if (agentName is not null)
        {
            tags.Add("gen_ai.agent.name", agentName);
        }

        Attribute(ref tags);
        TripCounter.Add(1, tags);

        var eventTags = new ActivityTagsCollection
        {
            ["agentguard.budget.limit"] = limit.ToString(),
            ["agentguard.budget.reason"] = reason,
        };
        if (agentName is not null)
        {
            eventTags["gen_ai.agent.name"] = agentName;
        }

        if (BudgetContext.Current is { } context)
        {
            eventTags["agentguard.tenant"] = context.TenantId;
            eventTags["agentguard.user"] = context.UserId;
            eventTags["agentguard.session"] = context.SessionId;
        }

        var budgetEvent = new ActivityEvent("agentguard.budget.exceeded", tags: eventTags);
        if (Activity.Current is { } current)
        {
            current.AddEvent(budgetEvent);
        }
        else if (Source.HasListeners())
        {
            using var activity = Source.StartActivity("agentguard.budget.exceeded", ActivityKind.Internal);
            activity?.AddEvent(budgetEvent);
        }
    }

    // Who the call was for: the tenant as a metric tag (bounded); the user and session on the current trace, and on
    // metrics only when opted in.
    private static void Attribute(ref TagList tags)
    {
        if (BudgetContext.Current is not { } context)
        {
            return;
        }

        if (context.TenantId is not null)
        {
            tags.Add("agentguard.tenant", context.TenantId);
        }

        if (UserAndSessionInMetrics)
        {
            if (context.UserId is not null)
            {
                tags.Add("agentguard.user", context.UserId);
            }

            if (context.SessionId is not null)
            {
                tags.Add("agentguard.session", context.SessionId);
            }
        }

        if (Activity.Current is { } activity)
        {
            activity.SetTag("agentguard.tenant", context.TenantId);
            activity.SetTag("agentguard.user", context.UserId);
            activity.SetTag("agentguard.session", context.SessionId);
        }
    }

    private static void AddTokens(long count, string kind, TagList tags)
    {
        if (count > 0)
        {
            tags.Add("gen_ai.token.type", kind);
            TokenCounter.Add(count, tags);
        }
    }
}
