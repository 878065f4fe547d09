using System.Collections.Generic;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Collection: one walk over the region that records what the later phases judge.</summary>
internal sealed partial class LoopBoundAnalysis
{
    private void Collect(IOperation operation, bool inLambda, int nestedLoopDepth, int depth = 0)
    {
        if (depth > MaxTreeDepth)
        {
            // Pathologically deep code (thousands of nested operators): stop rather than risk the stack.
            tooDeep = true;
            return;
        }

        switch (operation)
        {
            case ILocalFunctionOperation:
                return;

            case IAnonymousFunctionOperation:
                inLambda = true;
                break;

            case IInvocationOperation invocation:
                invocations.Add(invocation);
                if (!inLambda && region.IsRecursiveCall(invocation))
                {
                    continues.Add(invocation);
                }

                if (invocation.TargetMethod?.Name is "Add" or "AddRange" or "Enqueue" or "Push" or "Insert" or "InsertRange" or "TryAdd")
                {
                    // Filling a collection makes what it holds (and its Count) depend on what was put in: an agent
                    // that queues tasks the model invented runs as long as the model keeps inventing them.
                    var receiver = invocation.Instance
                        ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                    AddAssignment(receiver, invocation, invocation);
                    var grownSymbol = receiver.ReferencedSymbol();
                    if (grownSymbol is not null)
                    {
                        grown.Add(grownSymbol);
                    }
                }

                break;

            case IIncrementOrDecrementOperation increment:
                AddStepped(increment.Target);
                break;

            case ICompoundAssignmentOperation compound:
                if (compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract)
                {
                    AddStepped(compound.Target);
                }

                AddAssignment(compound.Target, compound.Value, compound);
                break;

            case ISimpleAssignmentOperation simple:
                AddAssignment(simple.Target, simple.Value, simple);
                if (simple.Value.UnwrapAllConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step
                    && (SameSymbol(step.LeftOperand, simple.Target) || SameSymbol(step.RightOperand, simple.Target)))
                {
                    AddStepped(simple.Target);
                }

                break;

            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
                {
                    if (target is ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation)
                    {
                        AddAssignment(target, deconstruction.Value, deconstruction);
                    }
                    else if (target is IDeclarationExpressionOperation declaration)
                    {
                        foreach (var local in declaration.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
                        {
                            if (local is ILocalReferenceOperation localReference)
                            {
                                AddAssignment(localReference, deconstruction.Value, deconstruction);
                            }
                        }
                    }
                }

                break;

            case IVariableDeclaratorOperation declarator:
                if (declarator.Symbol is not null)
                {
                    assignments.Add((declarator.Symbol, declarator.Initializer?.Value, declarator));
                }

                break;

            case IDeclarationPatternOperation pattern:
                if (pattern.DeclaredSymbol is not null)
                {
                    assignments.Add((pattern.DeclaredSymbol, MatchedValue(pattern), pattern));
                }

                break;

            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument:
                AddAssignment(argument.Value, argument.Parent, argument);
                break;

            case IForEachLoopOperation forEach:
                foreach (var local in forEach.Locals)
                {
                    assignments.Add((local, forEach.Collection, forEach));
                }

                break;

            case IBranchOperation branch when !inLambda:
                ClassifyBranch(branch);
                break;

            case IReturnOperation returnOperation when !inLambda:
                if (returnOperation.Kind == OperationKind.YieldReturn)
                {
                    // An iterator runs only as far as its consumer pulls: the consumer paces it.
                    hasYieldReturn = true;
                }
                else if (!ContainsRecursiveCall(returnOperation.ReturnedValue))
                {
                    exits.Add(returnOperation);
                }

                break;

            case IThrowOperation when !inLambda:
                exits.Add(operation);
                break;

            case ICatchClauseOperation catchClause:
                if (catchClause.Filter is not null)
                {
                    filters.Add(catchClause.Filter);
                }

                break;

            case ITryOperation tryOperation when !inLambda && nestedLoopDepth == 0:
                tries.Add(tryOperation);
                break;

            case ILocalReferenceOperation localReference when loopSymbols.IsCancellationType(localReference.Type):
                tokenSymbols.Add(localReference.Local);
                break;
        }

        if (operation is ILoopOperation innerLoop && !region.Roots.Contains(operation))
        {
            innerLabels.Add(innerLoop.ExitLabel);
            innerLabels.Add(innerLoop.ContinueLabel);
            nestedLoopDepth++;
        }
        else if (operation is ISwitchOperation switchOperation)
        {
            innerLabels.Add(switchOperation.ExitLabel);
        }

        foreach (var child in operation.ChildOperations)
        {
            if (child is not null)
            {
                Collect(child, inLambda, nestedLoopDepth, depth + 1);
            }
        }
    }

    private void ClassifyBranch(IBranchOperation branch)
    {
        var target = branch.Target;
        if (target is null)
        {
            return;
        }

        switch (branch.BranchKind)
        {
            case BranchKind.Continue:
                if (innerLabels.Contains(target))
                {
                    return;
                }

                if (region.ContinueLabel is not null && SymbolEqualityComparer.Default.Equals(target, region.ContinueLabel))
                {
                    continues.Add(branch);
                    return;
                }

                exits.Add(branch);
                return;

            case BranchKind.Break:
                if (!innerLabels.Contains(target))
                {
                    exits.Add(branch);
                }

                return;

            case BranchKind.GoTo:
                if (region.BackwardGoto is not null && branch == region.BackwardGoto)
                {
                    continues.Add(branch);
                    return;
                }

                foreach (var location in target.Locations)
                {
                    if (location.IsInSource && region.Span.Contains(location.SourceSpan))
                    {
                        return;
                    }
                }

                exits.Add(branch);
                return;
        }
    }

    private void AddAssignment(IOperation? target, IOperation? value, IOperation node)
    {
        var symbol = target.ReferencedSymbol();
        if (symbol is not null)
        {
            assignments.Add((symbol, value, node));
        }
    }

    private void AddStepped(IOperation? target)
    {
        var symbol = target.ReferencedSymbol();
        if (symbol is not null)
        {
            stepped.Add(symbol);
        }
    }


    private static bool SameSymbol(IOperation? operation, IOperation? other)
    {
        var symbol = operation.ReferencedSymbol();
        return symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, other.ReferencedSymbol());
    }

    private static IOperation? MatchedValue(IOperation pattern)
    {
        for (var current = pattern.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IIsPatternOperation isPattern:
                    return isPattern.Value;
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Value;
                case ISwitchOperation switchOperation:
                    return switchOperation.Value;
            }
        }

        return null;
    }

    private bool ContainsRecursiveCall(IOperation? value)
    {
        if (value is null || region.RecursiveTargets.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
        {
            if (operation is IInvocationOperation invocation && region.IsRecursiveCall(invocation))
            {
                return true;
            }
        }

        return false;
    }
}
