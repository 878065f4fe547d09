using System;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentGuard.Agents;

/// <summary>Adds AgentGuard to Microsoft Agent Framework agents.</summary>
public static class AgentGuardAIAgentBuilderExtensions
{
    /// <summary>
    /// Makes each run of the agent one guarded run (<see cref="GuardedAIAgent"/>). The agent's chat client must be
    /// guarded (<c>chatClient.AsBuilder().UseAgentGuard(...)</c>): that guard prices and limits every model round trip
    /// inside the agent's tool loop; this middleware gives each run its budget and puts the report on the response.
    /// </summary>
    /// <param name="builder">The agent pipeline.</param>
    /// <param name="configure">Sets per-run and per-session budgets.</param>
    public static AIAgentBuilder UseAgentGuard(this AIAgentBuilder builder, Action<AgentGuardAgentOptions>? configure = null)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        var options = new AgentGuardAgentOptions();
        configure?.Invoke(options);
        return builder.Use(inner => new GuardedAIAgent(inner, options));
    }
}

/// <summary>Builds a guarded <c>ChatClientAgent</c> in one call, with the guard where it sees every model call.</summary>
public static class AgentGuardChatClientAgentExtensions
{
    /// <summary>
    /// Creates a <see cref="ChatClientAgent"/> over <paramref name="chatClient"/> with AgentGuard's guard inside its tool
    /// loop, and wraps it in <see cref="GuardedAIAgent"/>: each run is budgeted, priced step by step, wraps up before a
    /// limit stops it, and reports its ledger on the response.
    /// </summary>
    /// <param name="chatClient">The model, without a tool loop of its own (the agent adds it around the guard).</param>
    /// <param name="agentOptions">The agent: name, instructions, tools, chat options.</param>
    /// <param name="configure">Sets the budget, prices, callbacks and wrap-up.</param>
    /// <param name="configureAgent">Sets per-run and per-session budgets.</param>
    public static GuardedAIAgent AsGuardedAIAgent(this IChatClient chatClient, ChatClientAgentOptions? agentOptions = null, Action<AgentGuardOptions>? configure = null, Action<AgentGuardAgentOptions>? configureAgent = null)
    {
        if (chatClient is null)
        {
            throw new ArgumentNullException(nameof(chatClient));
        }

        var options = new AgentGuardOptions { AgentName = agentOptions?.Name };
        configure?.Invoke(options);
        var agent = new ChatClientAgent(new BudgetChatClient(chatClient, options), agentOptions);
        var agentGuardOptions = new AgentGuardAgentOptions();
        configureAgent?.Invoke(agentGuardOptions);
        return new GuardedAIAgent(agent, agentGuardOptions);
    }
}
