using System.Collections.Generic;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// Decides whether a loop, goto loop or recursive body that reaches a model call is bounded, and whether it is a
/// retry loop. The idea: find every way out of the region and the conditions that guard it, and track, for every
/// variable the region assigns, whether its value comes from the model, from a bound, or from something else.
/// <list type="bullet">
/// <item>A way out guarded by a bound (a counter compared with a limit, a budget check, the clock, a timed
/// cancellation token), an exception filter that counts, or a call that waits on the outside world each turn,
/// bounds the region.</item>
/// <item>A way out guarded only by the model's output (its text, its finish reason, a flag set from it), by a
/// plain cancellation token, or no way out at all, does not.</item>
/// <item>A way out guarded by anything else (a page token from another API, a field set elsewhere) gives the region
/// the benefit of the doubt: a noisy rule gets switched off.</item>
/// </list>
/// </summary>
/// <remarks>
/// The analysis runs in phases, one file each: <c>Collection</c> walks the region once and records its assignments,
/// exits and continuations; <c>ValueFlags</c> computes where each value comes from; <c>TimedTokens</c> recognises
/// cancellation tokens that bound a loop in time; <c>Bounds</c> looks for bounds not tied to one exit; <c>Exits</c>
/// judges each way out. Whether the region is a retry is decided by <see cref="RetryShape"/>.
/// </remarks>
internal sealed partial class LoopBoundAnalysis
{
    private const int MaxTreeDepth = 400;

    private readonly LoopRegion region;
    private readonly LoopAnalysisCache cache;
    private readonly LoopSymbols loopSymbols;

    /// <summary>The invocations that reach a model call, found before the analysis starts.</summary>
    private readonly HashSet<IOperation> modelInvocations;

    // Recorded by the Collection phase, in one walk over the region.
    private readonly List<IInvocationOperation> invocations = new();
    private readonly List<(ISymbol Target, IOperation? Value, IOperation Node)> assignments = new();
    private readonly HashSet<ISymbol> stepped = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> grown = new(SymbolEqualityComparer.Default);
    private readonly List<IOperation> exits = new();
    private readonly List<IOperation> continues = new();
    private readonly List<IOperation> filters = new();
    private readonly List<ITryOperation> tries = new();
    private readonly List<ISymbol> tokenSymbols = new();
    private readonly HashSet<ILabelSymbol> innerLabels = new(SymbolEqualityComparer.Default);
    private bool hasYieldReturn;
    private bool tooDeep;

    // Computed by the ValueFlags and TimedTokens phases.
    private readonly Dictionary<ISymbol, ValueFlags> symbolFlags = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, bool> timedTokens = new(SymbolEqualityComparer.Default);

    private LoopBoundAnalysis(LoopRegion region, LoopAnalysisCache cache, HashSet<IOperation> modelInvocations)
    {
        this.region = region;
        this.cache = cache;
        this.modelInvocations = modelInvocations;
        loopSymbols = cache.Loop;
    }

    /// <summary>The facts of a region, computed once per compilation and shared by the loop rules.</summary>
    public static RegionFacts Analyze(LoopRegion region, LoopAnalysisCache cache)
        => cache.GetOrAddFacts(region.Key, () => Compute(region, cache));

    private static RegionFacts Compute(LoopRegion region, LoopAnalysisCache cache)
    {
        // Most loops call no model. The name index rules most of them out from their syntax; the rest take one walk
        // over their operations before anything is built.
        if (!MayReachModelCall(region, cache.Names))
        {
            return new RegionFacts(region.Kind, Reach.None, isBounded: false, hasOtherExit: false, isUnboundedRetry: false);
        }

        // First the calls that can reach a model by name, followed exactly; the others (pacing calls, helpers) are
        // followed only once the region turns out to reach a model call: only then does what paces it matter.
        var reach = Reach.None;
        HashSet<IOperation>? modelInvocations = null;
        List<IInvocationOperation>? others = null;
        foreach (var root in region.Roots)
        {
            foreach (var operation in root.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
            {
                if (operation is not IInvocationOperation { TargetMethod: { } target } invocation)
                {
                    continue;
                }

                if (!cache.Names.MayReachModelCall(target, depth: 0))
                {
                    (others ??= new List<IInvocationOperation>()).Add(invocation);
                    continue;
                }

                var invocationReach = cache.Reachability.ForInvocation(invocation);
                if ((invocationReach & Reach.ModelCall) != 0)
                {
                    (modelInvocations ??= new HashSet<IOperation>()).Add(invocation);
                }

                reach |= invocationReach;
            }
        }

        if (modelInvocations is null)
        {
            return new RegionFacts(region.Kind, reach, isBounded: false, hasOtherExit: false, isUnboundedRetry: false);
        }

        if (others is not null)
        {
            foreach (var invocation in others)
            {
                reach |= cache.Reachability.ForInvocation(invocation);
            }
        }

        return new LoopBoundAnalysis(region, cache, modelInvocations).Run(reach);
    }

    private static bool MayReachModelCall(LoopRegion region, CallNameIndex names)
    {
        foreach (var root in region.Roots)
        {
            if (names.MayReachModelCall(root.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    private RegionFacts Run(Reach reach)
    {
        if (region.Kind == RegionKind.ForEach)
        {
            return new RegionFacts(region.Kind, reach, isBounded: true, hasOtherExit: false, isUnboundedRetry: false);
        }

        foreach (var root in region.Roots)
        {
            Collect(root, inLambda: false, nestedLoopDepth: 0);
        }

        if (tooDeep)
        {
            // Judge nothing rather than judge wrongly.
            return new RegionFacts(region.Kind, reach, isBounded: true, hasOtherExit: true, isUnboundedRetry: false);
        }

        ComputeSymbolFlags();

        var bounded = (reach & Reach.Pacing) != 0 || HasBoundOutsideExits();
        var hasOtherExit = hasYieldReturn;
        if (!bounded)
        {
            ClassifyExits(ref bounded, ref hasOtherExit);
        }

        var isRetry = !bounded && region.Kind != RegionKind.Recursion && new RetryShape(region, modelInvocations, tries, continues, exits, assignments).IsRetry();
        return new RegionFacts(region.Kind, reach, bounded, hasOtherExit, isRetry);
    }
}
