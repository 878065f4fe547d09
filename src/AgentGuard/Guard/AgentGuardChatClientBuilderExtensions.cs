using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGuard;

/// <summary>Adds AgentGuard's budget guard to a Microsoft.Extensions.AI pipeline.</summary>
public static class AgentGuardChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="BudgetChatClient"/> to the pipeline. Place it outside <c>UseFunctionInvocation()</c> to
    /// budget whole requests, or inside it (after) to budget every model round trip of the tool loop — the usual
    /// choice for agents.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="configure">Sets the budget, prices, callbacks and model.</param>
    public static ChatClientBuilder UseAgentGuard(this ChatClientBuilder builder, Action<AgentGuardOptions>? configure = null)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        return builder.Use((inner, services) =>
        {
            // Options registered with AddAgentGuard are the starting point; configure adjusts a copy of them.
            var registered = services.GetService<AgentGuardOptions>();
            var options = configure is null ? registered ?? new AgentGuardOptions() : registered?.Clone() ?? new AgentGuardOptions();
            configure?.Invoke(options);
            return new BudgetChatClient(inner, options);
        });
    }

    /// <summary>Adds a <see cref="BudgetChatClient"/> with <paramref name="options"/>.</summary>
    public static ChatClientBuilder UseAgentGuard(this ChatClientBuilder builder, AgentGuardOptions options)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        return builder.Use(inner => new BudgetChatClient(inner, options));
    }
}
