using System;
using System.Runtime.CompilerServices;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentGuard.Agents;

/// <summary>Reads the <see cref="AgentGuardReport"/> of a guarded agent's response.</summary>
/// <remarks>
/// The report object stays with the response in memory. The response's <c>AdditionalProperties</c> carry its plain
/// values too — <c>agentguard.status</c>, <c>agentguard.stop_reason</c>, <c>agentguard.cost_usd</c>,
/// <c>agentguard.steps</c> — so they survive serialization (hosting, workflows, checkpoints).
/// </remarks>
public static class AgentGuardResponseExtensions
{
    /// <summary>The key of the run's <see cref="AgentRunStatus"/> (as its name) in <c>AdditionalProperties</c>.</summary>
    public const string StatusPropertyName = "agentguard.status";

    /// <summary>The key of the reason a limit stopped the run.</summary>
    public const string StopReasonPropertyName = "agentguard.stop_reason";

    /// <summary>The key of the run's cost in US dollars (a <see cref="decimal"/>).</summary>
    public const string CostPropertyName = "agentguard.cost_usd";

    /// <summary>The key of the run's number of model calls.</summary>
    public const string StepsPropertyName = "agentguard.steps";

    private static readonly ConditionalWeakTable<object, AgentGuardReport> Reports = new();

    /// <summary>The report of the run that produced <paramref name="response"/>, or <see langword="null"/> if no AgentGuard agent did.</summary>
    public static AgentGuardReport? GetAgentGuardReport(this AgentResponse response)
        => response is not null && Reports.TryGetValue(response, out var report) ? report : null;

    /// <summary>The report, carried by the last update of a streamed run; <see langword="null"/> on every other update.</summary>
    public static AgentGuardReport? GetAgentGuardReport(this AgentResponseUpdate update)
        => update is not null && Reports.TryGetValue(update, out var report) ? report : null;

    internal static void Attach(AgentResponse response, AgentGuardReport report)
    {
        lock (Reports)
        {
            Reports.Remove(response);
            Reports.Add(response, report);
        }

        Describe(response.AdditionalProperties ??= new(), report);
    }

    internal static void Attach(AgentResponseUpdate update, AgentGuardReport report)
    {
        lock (Reports)
        {
            Reports.Remove(update);
            Reports.Add(update, report);
        }

        Describe(update.AdditionalProperties ??= new(), report);
    }

    private static void Describe(AdditionalPropertiesDictionary properties, AgentGuardReport report)
    {
        properties[StatusPropertyName] = report.Status.ToString();
        properties[CostPropertyName] = report.Ledger.TotalCostUsd;
        properties[StepsPropertyName] = report.Ledger.Steps;
        if (report.StopReason is not null)
        {
            properties[StopReasonPropertyName] = report.StopReason;
        }
    }
}
