using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// What the loop rules (AG0001, AG0005, AG0006) share within one compilation: the resolved symbols, the semantic
/// models of the trees whose methods they follow, the facts of each region, and the <see cref="ModelCallReachability"/>
/// summaries. One instance per compilation, whichever rule asks first; every cache is safe for concurrent use.
/// </summary>
internal sealed class LoopAnalysisCache
{
    private static readonly ConditionalWeakTable<Compilation, LoopAnalysisCache> Instances = new();

    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();
    private readonly ConcurrentDictionary<SyntaxNode, RegionFacts> regionFacts = new();

    private LoopAnalysisCache(AgentGuardSymbols symbols)
    {
        Symbols = symbols;
        Loop = new LoopSymbols(symbols.Compilation);
        Reachability = new ModelCallReachability(this);
        Names = new CallNameIndex(symbols);
    }

    public AgentGuardSymbols Symbols { get; }

    public LoopSymbols Loop { get; }

    /// <summary>Whether code reaches a model call, through the compilation's own methods.</summary>
    public ModelCallReachability Reachability { get; }

    /// <summary>
    /// Which code can reach a model call, judged by name from syntax alone: the filter that keeps the exact
    /// <see cref="Reachability"/> analysis to the agent code.
    /// </summary>
    public CallNameIndex Names { get; }

    /// <summary>The shared instance for a compilation.</summary>
    public static LoopAnalysisCache For(AgentGuardSymbols symbols)
        => Instances.GetValue(symbols.Compilation, _ => new LoopAnalysisCache(symbols));

    /// <summary>Facts about a loop (or other region), computed once and shared by the loop rules.</summary>
    public RegionFacts GetOrAddFacts(SyntaxNode key, Func<RegionFacts> compute)
    {
        if (regionFacts.TryGetValue(key, out var facts))
        {
            return facts;
        }

        facts = compute();
        regionFacts.TryAdd(key, facts);
        return facts;
    }

    /// <summary>The operation of a source method's or local function's body, or <see langword="null"/>.</summary>
    public IOperation? GetBodyOperation(IMethodSymbol method, SemanticModel? preferredModel)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            var model = GetModel(syntax.SyntaxTree, preferredModel);
            if (model is null)
            {
                continue;
            }

            var operation = model.GetOperation(syntax);
            switch (operation)
            {
                case IMethodBodyOperation body:
                    return (IOperation?)body.BlockBody ?? body.ExpressionBody;
                case ILocalFunctionOperation localFunction:
                    return (IOperation?)localFunction.Body ?? localFunction.IgnoredBody;
                case IConstructorBodyOperation constructor:
                    return (IOperation?)constructor.BlockBody ?? constructor.ExpressionBody;
            }
        }

        return null;
    }

    /// <summary>The semantic model of a tree of this compilation.</summary>
    public SemanticModel? GetModel(SyntaxTree tree, SemanticModel? preferredModel)
    {
        if (preferredModel is not null && preferredModel.SyntaxTree == tree)
        {
            return preferredModel;
        }

        if (models.TryGetValue(tree, out var cached))
        {
            return cached;
        }

        var compilation = Symbols.Compilation;
        if (!compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

        // The body of a called method can live in another file; following it is the point of the rule.
        // The model is created once per tree per compilation and cached.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        return models.GetOrAdd(tree, model);
    }
}
