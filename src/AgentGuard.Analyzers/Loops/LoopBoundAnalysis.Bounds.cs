using System;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Bounds that are not tied to one way out of the region.</summary>
internal sealed partial class LoopBoundAnalysis
{
    private static readonly string[] BudgetMethodPrefixes = { "ThrowIf", "Ensure", "Check", "TryConsume", "TrySpend", "TryReserve", "TryCharge", "Reserve", "Charge" };

    /// <summary>Bounds that are not tied to one way out: filters that count, budget calls, ThrowIf guards, timed tokens.</summary>
    private bool HasBoundOutsideExits()
    {
        if (region.Condition?.ConstantValue is { HasValue: true, Value: false })
        {
            // `do { … } while (false)`: runs once.
            return true;
        }

        foreach (var filter in filters)
        {
            if ((Evaluate(filter) & ValueFlags.Bound) != 0)
            {
                return true;
            }
        }

        foreach (var invocation in invocations)
        {
            var target = invocation.TargetMethod;
            if (target is null)
            {
                continue;
            }

            var name = target.Name;
            if (LoopSymbols.IsAgentGuardRuntimeMember(target) && StartsWithAny(name, BudgetMethodPrefixes))
            {
                return true;
            }

            if (name.StartsWith("ThrowIf", StringComparison.Ordinal) && !LoopSymbols.IsAgentGuardRuntimeMember(target))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (IsCounter(argument.Value, relational: true) || (Evaluate(argument.Value) & ValueFlags.Bound) != 0)
                    {
                        return true;
                    }
                }
            }
        }

        foreach (var token in tokenSymbols)
        {
            if (IsTimedToken(token))
            {
                return true;
            }
        }

        return region.Condition is not null && (Evaluate(region.Condition) & ValueFlags.Bound) != 0;
    }

    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
