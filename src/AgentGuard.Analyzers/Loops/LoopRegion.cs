using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Loops;

/// <summary>What kind of code repeats.</summary>
internal enum RegionKind
{
    /// <summary><c>while</c>, <c>do</c> or <c>for</c>.</summary>
    Loop,

    /// <summary><c>foreach</c> or <c>await foreach</c>.</summary>
    ForEach,

    /// <summary>A label and a later <c>goto</c> back to it.</summary>
    GotoLoop,

    /// <summary>A method body that calls itself.</summary>
    Recursion,
}

/// <summary>
/// Code that runs again and again: a loop, a goto loop or a recursive method body, described the same way so one
/// analysis (<see cref="LoopBoundAnalysis"/>) serves every kind.
/// </summary>
internal sealed class LoopRegion
{
    private LoopRegion(
        RegionKind kind,
        SyntaxNode key,
        ImmutableArray<IOperation> roots,
        IOperation? condition,
        ILabelSymbol? continueLabel,
        TextSpan span,
        IOperation? backwardGoto,
        ImmutableArray<IMethodSymbol> recursiveTargets,
        ImmutableArray<IParameterSymbol> depthParameters)
    {
        Kind = kind;
        Key = key;
        Roots = roots;
        Condition = condition;
        ContinueLabel = continueLabel;
        Span = span;
        BackwardGoto = backwardGoto;
        RecursiveTargets = recursiveTargets;
        DepthParameters = depthParameters;
    }

    public RegionKind Kind { get; }

    /// <summary>The syntax node the region's facts are cached under.</summary>
    public SyntaxNode Key { get; }

    /// <summary>The operations that make up the region (the loop itself, the statements of a goto loop, a body).</summary>
    public ImmutableArray<IOperation> Roots { get; }

    /// <summary>The loop condition, if any: the loop ends when it is false.</summary>
    public IOperation? Condition { get; }

    public ILabelSymbol? ContinueLabel { get; }

    public TextSpan Span { get; }

    /// <summary>For a goto loop, the <c>goto</c> that jumps back.</summary>
    public IOperation? BackwardGoto { get; }

    /// <summary>For recursion, the methods whose calls start the body again.</summary>
    public ImmutableArray<IMethodSymbol> RecursiveTargets { get; }

    /// <summary>For recursion, parameters passed on as <c>depth + 1</c>: they count as stepped counters.</summary>
    public ImmutableArray<IParameterSymbol> DepthParameters { get; }

    public static LoopRegion? ForLoop(ILoopOperation loop)
    {
        if (loop.Syntax is null)
        {
            return null;
        }

        IOperation? condition = loop switch
        {
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            IForLoopOperation forLoop => forLoop.Condition,
            _ => null,
        };

        var kind = loop is IForEachLoopOperation ? RegionKind.ForEach : RegionKind.Loop;
        return new LoopRegion(
            kind,
            loop.Syntax,
            ImmutableArray.Create<IOperation>(loop),
            condition,
            loop.ContinueLabel,
            loop.Syntax.Span,
            backwardGoto: null,
            ImmutableArray<IMethodSymbol>.Empty,
            ImmutableArray<IParameterSymbol>.Empty);
    }

    /// <summary>The goto loop closed by <paramref name="branch"/>, when it jumps back to a label of an enclosing block.</summary>
    public static LoopRegion? ForBackwardGoto(IBranchOperation branch)
    {
        if (branch.BranchKind != BranchKind.GoTo || branch.Target is null || branch.Syntax is null)
        {
            return null;
        }

        // Find the block that declares the label, and the statement of that block that holds the goto.
        IOperation child = branch;
        for (var parent = branch.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation)
            {
                return null;
            }

            if (parent is not IBlockOperation block)
            {
                continue;
            }

            var labelIndex = -1;
            var gotoIndex = -1;
            var operations = block.Operations;
            for (var i = 0; i < operations.Length; i++)
            {
                if (operations[i] is ILabeledOperation labeled
                    && SymbolEqualityComparer.Default.Equals(labeled.Label, branch.Target))
                {
                    labelIndex = i;
                }

                if (operations[i] == child)
                {
                    gotoIndex = i;
                }
            }

            if (labelIndex < 0)
            {
                continue;
            }

            if (gotoIndex < labelIndex || gotoIndex < 0)
            {
                // A forward jump, or the label comes after: not a loop.
                return null;
            }

            var roots = ImmutableArray.CreateBuilder<IOperation>(gotoIndex - labelIndex + 1);
            for (var i = labelIndex; i <= gotoIndex; i++)
            {
                roots.Add(operations[i]);
            }

            var first = operations[labelIndex].Syntax;
            var last = operations[gotoIndex].Syntax;
            if (first is null || last is null)
            {
                return null;
            }

            return new LoopRegion(
                RegionKind.GotoLoop,
                branch.Syntax,
                roots.MoveToImmutable(),
                condition: null,
                continueLabel: null,
                TextSpan.FromBounds(first.SpanStart, last.Span.End),
                branch,
                ImmutableArray<IMethodSymbol>.Empty,
                ImmutableArray<IParameterSymbol>.Empty);
        }

        return null;
    }

    /// <summary>The body of a method or local function that calls itself through <paramref name="recursiveTargets"/>.</summary>
    public static LoopRegion? ForRecursion(
        IOperation body,
        ImmutableArray<IMethodSymbol> recursiveTargets,
        ImmutableArray<IParameterSymbol> depthParameters)
    {
        if (body.Syntax is null)
        {
            return null;
        }

        return new LoopRegion(
            RegionKind.Recursion,
            body.Syntax,
            ImmutableArray.Create(body),
            condition: null,
            continueLabel: null,
            body.Syntax.Span,
            backwardGoto: null,
            recursiveTargets,
            depthParameters);
    }

    public bool IsRecursiveCall(IInvocationOperation invocation)
    {
        if (RecursiveTargets.IsDefaultOrEmpty || invocation.TargetMethod is null)
        {
            return false;
        }

        var target = invocation.TargetMethod.OriginalDefinition;
        foreach (var candidate in RecursiveTargets)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, target))
            {
                return true;
            }
        }

        return false;
    }
}
