using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// A generated <c>[Budget]</c> agent, seen without its type: its name, declared limits, tools and bounded loop. The
/// generator implements it (explicitly) on every agent, so hosts can run any agent the same way — the
/// <c>AgentGuard.Agents</c> package turns one into a Microsoft Agent Framework <c>AIAgent</c> with <c>AsAIAgent</c>.
/// </summary>
public interface IBudgetedAgent
{
    /// <summary>The agent's name: its class name.</summary>
    string AgentName { get; }

    /// <summary>The limits declared by its <c>[Budget]</c> attribute.</summary>
    BudgetPolicy Budget { get; }

    /// <summary>Its tools, one per <c>[AgentTool]</c> method.</summary>
    IList<AITool> Tools { get; }

    /// <summary>Runs the agent's bounded loop on <paramref name="messages"/> (the generated <c>RunAsync</c>).</summary>
    Task<AgentRunResult> RunAsync(IChatClient client, IEnumerable<ChatMessage> messages, AgentGuardOptions? options = null, CancellationToken cancellationToken = default);
}
