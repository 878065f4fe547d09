using System.Collections.Generic;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// The shape of a retry loop (AG0006): a try whose body reaches a model call, a catch that swallows the failure
/// and goes round again, and a way out that is the call's success. It reads what <see cref="LoopBoundAnalysis"/>
/// collected about a region that nothing bounds.
/// </summary>
internal sealed class RetryShape
{
    private readonly LoopRegion region;
    private readonly HashSet<IOperation> modelInvocations;
    private readonly IReadOnlyList<ITryOperation> tries;
    private readonly List<IOperation> continues;
    private readonly IReadOnlyList<IOperation> exits;
    private readonly IReadOnlyList<(ISymbol Target, IOperation? Value, IOperation Node)> assignments;

    public RetryShape(
        LoopRegion region,
        HashSet<IOperation> modelInvocations,
        IReadOnlyList<ITryOperation> tries,
        List<IOperation> continues,
        IReadOnlyList<IOperation> exits,
        IReadOnlyList<(ISymbol Target, IOperation? Value, IOperation Node)> assignments)
    {
        this.region = region;
        this.modelInvocations = modelInvocations;
        this.tries = tries;
        this.continues = continues;
        this.exits = exits;
        this.assignments = assignments;
    }

    /// <summary>
    /// A try whose body reaches a model call, a catch that swallows the failure and goes round again, and a way out
    /// that is the call's success.
    /// </summary>
    public bool IsRetry()
    {
        foreach (var tryOperation in tries)
        {
            if (tryOperation.Body is null || !BodyReachesModel(tryOperation.Body))
            {
                continue;
            }

            var swallows = false;
            foreach (var catchClause in tryOperation.Catches)
            {
                if (Swallows(catchClause))
                {
                    swallows = true;
                    break;
                }
            }

            if (swallows && SucceedsOut(tryOperation))
            {
                return true;
            }
        }

        return false;
    }

    private bool BodyReachesModel(IOperation body)
    {
        foreach (var operation in body.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
        {
            if (operation is IInvocationOperation invocation && modelInvocations.Contains(invocation))
            {
                return true;
            }
        }

        return false;
    }

    private bool Swallows(ICatchClauseOperation catchClause)
    {
        var handler = catchClause.Handler;
        if (handler is null)
        {
            return false;
        }

        foreach (var operation in handler.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
        {
            if (continues.Contains(operation))
            {
                return true;
            }
        }

        if (region.Kind == RegionKind.GotoLoop)
        {
            return false;
        }

        var statements = handler.Operations;
        if (statements.Length == 0)
        {
            return true;
        }

        return statements[statements.Length - 1] switch
        {
            IThrowOperation => false,
            IExpressionStatementOperation { Operation: IThrowOperation } => false,
            IReturnOperation => false,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo } => false,
            _ => true,
        };
    }

    private bool SucceedsOut(ITryOperation tryOperation)
    {
        if (region.Kind == RegionKind.GotoLoop)
        {
            // The goto back is in a catch (see Swallows): finishing the try is the way out.
            return true;
        }

        var body = tryOperation.Body;
        foreach (var exit in exits)
        {
            if (exit is not IThrowOperation && exit.IsWithin(body))
            {
                return true;
            }
        }

        if (region.Condition is null)
        {
            return false;
        }

        foreach (var (target, _, node) in assignments)
        {
            if (!node.IsWithin(body))
            {
                continue;
            }

            foreach (var operation in region.Condition.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
            {
                var symbol = operation.ReferencedSymbol();
                if (symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, target))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
