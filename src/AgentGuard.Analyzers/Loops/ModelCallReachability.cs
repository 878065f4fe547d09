using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// Answers "does this code reach a model call?" — directly, or through the methods and local functions of the
/// same compilation that it calls, up to <see cref="MaxDepth"/> calls deep. One instance per compilation, shared
/// by the loop rules through <see cref="LoopAnalysisCache"/>; a method's answer is computed once and cached.
/// </summary>
/// <remarks>
/// It binds the bodies it follows, so the rules ask it only about code that <see cref="CallNameIndex"/>, from names
/// alone, has not ruled out: the loops, recursions and types of the project's agent code.
/// </remarks>
internal sealed class ModelCallReachability
{
    /// <summary>How many calls deep the search follows the compilation's own methods.</summary>
    public const int MaxDepth = 3;

    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> typeReach = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> callees = new(SymbolEqualityComparer.Default);

    private readonly LoopAnalysisCache cache;

    public ModelCallReachability(LoopAnalysisCache cache)
    {
        this.cache = cache;
    }

    private AgentGuardSymbols Symbols => cache.Symbols;

    private LoopSymbols Loop => cache.Loop;

    /// <summary>What one invocation reaches.</summary>
    public Reach ForInvocation(IInvocationOperation invocation)
        => ForMethod(invocation.TargetMethod, depth: 0, visiting: null);

    /// <summary>What a method reaches when called (itself a model call, a pacing call, or through its body).</summary>
    public Reach ForMethod(IMethodSymbol? method) => ForMethod(method, 0, null);

    /// <summary>Whether any method of <paramref name="type"/> (or of a type containing it) reaches a model call.</summary>
    public bool TypeReachesModelCall(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.ContainingType)
        {
            if (typeReach.GetOrAdd(type.OriginalDefinition, ComputeTypeReach))
            {
                return true;
            }
        }

        return false;
    }

    private bool ComputeTypeReach(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method
                && method.DeclaringSyntaxReferences.Length > 0
                && cache.Names.MayReachModelCall(method, depth: 0)
                && (GetSummary(method.OriginalDefinition, depth: 0, visiting: null).Reach & Reach.ModelCall) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The methods and local functions of the compilation that <paramref name="method"/> calls directly.</summary>
    public ImmutableArray<IMethodSymbol> DirectSourceCallees(IMethodSymbol method)
        => callees.GetOrAdd(method.OriginalDefinition, ComputeCallees);

    private ImmutableArray<IMethodSymbol> ComputeCallees(IMethodSymbol method)
    {
        if (summaries.TryGetValue(method, out var summary))
        {
            return summary.Callees;
        }

        var body = cache.GetBodyOperation(method, preferredModel: null);
        if (body is null)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
        {
            if (operation is IInvocationOperation { TargetMethod: { } target })
            {
                var original = target.DeclaredDefinition();
                if (original.DeclaringSyntaxReferences.Length > 0 && seen.Add(original))
                {
                    result.Add(original);
                }
            }
        }

        return result.ToImmutable();
    }

    private Reach ForMethod(IMethodSymbol? method, int depth, HashSet<IMethodSymbol>? visiting)
    {
        if (method is null)
        {
            return Reach.None;
        }

        if (Symbols.IsModelCall(method))
        {
            // A call made through AgentGuard's budget guard stops at the budget's limits, so it bounds its loop.
            return method.ContainingType.IsOrDerivesFrom(Symbols.BudgetChatClient)
                ? Reach.ModelCall | Reach.Pacing
                : Reach.ModelCall;
        }

        if (Loop.IsPacingCall(method.DeclaredDefinition()))
        {
            return Reach.Pacing;
        }

        var original = method.DeclaredDefinition();
        if (original.DeclaringSyntaxReferences.Length == 0 || depth >= MaxDepth)
        {
            return Reach.None;
        }

        return GetSummary(original, depth, visiting).Reach;
    }

    private MethodSummary GetSummary(IMethodSymbol method, int depth, HashSet<IMethodSymbol>? visiting)
    {
        if (summaries.TryGetValue(method, out var cached))
        {
            return cached;
        }

        visiting ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (!visiting.Add(method))
        {
            // A cycle: the answer comes from the other members of the cycle.
            return MethodSummary.Incomplete;
        }

        var body = cache.GetBodyOperation(method, preferredModel: null);
        var reach = Reach.None;
        var complete = true;
        var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
        var seenCallees = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (body is not null)
        {
            foreach (var operation in body.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
            {
                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                var target = invocation.TargetMethod;
                if (target is null)
                {
                    continue;
                }

                var targetOriginal = target.DeclaredDefinition();
                var inSource = targetOriginal.DeclaringSyntaxReferences.Length > 0;
                if (inSource && seenCallees.Add(targetOriginal))
                {
                    callees.Add(targetOriginal);
                }

                if ((reach & (Reach.ModelCall | Reach.Pacing)) == (Reach.ModelCall | Reach.Pacing))
                {
                    continue;
                }

                if (depth + 1 >= MaxDepth && targetOriginal.DeclaringSyntaxReferences.Length > 0 && !Symbols.IsModelCall(target))
                {
                    complete = false;
                }

                var calleeReach = ForMethod(target, depth + 1, visiting);
                if (calleeReach == Reach.None
                    && targetOriginal.DeclaringSyntaxReferences.Length > 0
                    && !summaries.ContainsKey(targetOriginal))
                {
                    // The callee's answer was cut short by the depth limit or a cycle.
                    complete = false;
                }

                reach |= calleeReach;
            }
        }

        visiting.Remove(method);
        var summary = new MethodSummary(reach, callees.ToImmutable());
        // Only a complete answer, or one that cannot grow any more, is cached: a summary cut short by the depth
        // limit could miss a flag, and reusing it would make results depend on the order methods are analyzed in.
        if (complete || reach == (Reach.ModelCall | Reach.Pacing))
        {
            summaries.TryAdd(method, summary);
        }

        return summary;
    }

    private sealed class MethodSummary
    {
        public static readonly MethodSummary Incomplete = new(Reach.None, ImmutableArray<IMethodSymbol>.Empty);

        public MethodSummary(Reach reach, ImmutableArray<IMethodSymbol> callees)
        {
            Reach = reach;
            Callees = callees;
        }

        public Reach Reach { get; }

        public ImmutableArray<IMethodSymbol> Callees { get; }
    }
}
