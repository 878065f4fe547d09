using AgentGuard;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0007 — a budget guard placed outside the tool loop. In a <see cref="ChatClientBuilder"/> the first <c>Use</c> is
/// the outermost client, so this guard wraps <see cref="FunctionInvokingChatClient"/>: it would see one request while
/// the tool loop makes up to 40 model round trips under it, none of them priced or counted against
/// <c>MaxSteps</c>. The runtime refuses this pipeline on its first request; the fix is
/// <c>.UseFunctionInvocation().UseAgentGuard(…)</c>.
/// </summary>
public static class TriageAssistantPipeline
{
    public static IChatClient Create(IChatClient provider)
        => new ChatClientBuilder(provider)
            .UseAgentGuard(o => o.Budget = new BudgetPolicy { HardLimitUsd = 0.25m, MaxSteps = 6 }) // AG0007: outside the tool loop
            .UseFunctionInvocation()
            .Build();
}
