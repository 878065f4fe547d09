using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentGuard;

/// <summary>Adds AgentGuard's budget guard to a Microsoft.Extensions.AI pipeline.</summary>
public static class AgentGuardChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="BudgetChatClient"/> to the pipeline. With tools, put it inside the tool loop —
    /// <c>.UseFunctionInvocation().UseAgentGuard(...)</c>, the first <c>Use</c> being the outermost — so every model
    /// round trip is priced and limited. A guard outside <c>UseFunctionInvocation()</c> (with no guard inside it)
    /// would see one request for the whole loop: its requests fail with an <see cref="InvalidOperationException"/>
    /// that says so.
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
