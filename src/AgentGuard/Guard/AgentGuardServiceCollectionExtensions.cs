using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentGuard;

/// <summary>Registers AgentGuard with dependency injection.</summary>
public static class AgentGuardServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="AgentGuardOptions"/> for the application, used by <c>UseAgentGuard()</c> in an
    /// <c>AddChatClient(...)</c> pipeline and available to generated agents:
    /// <code>services.AddAgentGuard(o => o.Budget = new BudgetPolicy { HardLimitUsd = 0.50m });
    /// services.AddChatClient(inner).UseFunctionInvocation().UseAgentGuard();</code>
    /// </summary>
    public static IServiceCollection AddAgentGuard(this IServiceCollection services, Action<AgentGuardOptions>? configure = null)
    {
        if (services is null)
        {
            throw new ArgumentNullException(nameof(services));
        }

        var options = new AgentGuardOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        return services;
    }
}
