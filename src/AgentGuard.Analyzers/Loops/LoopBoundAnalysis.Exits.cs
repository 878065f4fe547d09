using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Exits: every way out of the region, judged by the conditions that guard it.</summary>
internal sealed partial class LoopBoundAnalysis
{
    private void ClassifyExits(ref bool bounded, ref bool hasOtherExit)
    {
        // What the "keep going" paths depend on: an exit that is not itself conditional happens when none of them is taken.
        var continueFlags = ValueFlags.None;
        var hasContinue = false;
        foreach (var continuation in continues)
        {
            var flags = ControlFlags(continuation, out var inCatch);
            if ((flags & ValueFlags.Bound) != 0)
            {
                bounded = true;
                return;
            }

            // A method that calls itself again when something failed keeps going as long as it fails: for
            // recursion that path counts; in a loop it is a retry, which AG0006 judges.
            if (!inCatch || region.Kind == RegionKind.Recursion)
            {
                hasContinue = true;
                continueFlags |= flags;
            }
        }

        if (region.Condition is not null)
        {
            var conditionFlags = Evaluate(region.Condition);
            if (ConditionIsBound(region.Condition))
            {
                // The loop's own condition is a bound (the clock, a counter, a background response being polled).
                bounded = true;
                return;
            }

            Judge(conditionFlags, ref hasOtherExit);
        }

        if (IsGatedByOtherData())
        {
            // The model is only called when data from elsewhere says so (a job fetched from a store, an item
            // from a queue the rule does not know): that data paces the loop.
            hasOtherExit = true;
        }

        if (region.Kind == RegionKind.GotoLoop && region.BackwardGoto is not null)
        {
            // Not taking the goto is the way out.
            var flags = ControlFlags(region.BackwardGoto, out _);
            Judge(flags, ref hasOtherExit);
        }

        if (region.Kind == RegionKind.Recursion)
        {
            // Falling off the end of the body.
            Judge(hasContinue ? continueFlags : ValueFlags.Other, ref hasOtherExit);
        }

        foreach (var exit in exits)
        {
            var flags = ControlFlags(exit, out var inCatch);
            if ((flags & ValueFlags.Bound) != 0)
            {
                bounded = true;
                return;
            }

            if (inCatch)
            {
                if (InBudgetCatch(exit))
                {
                    // Leaving when AgentGuard's guard refuses a call (BudgetExceededException) is a budget check.
                    bounded = true;
                    return;
                }

                // Leaving when something failed is not a bound, and says nothing about the model.
                continue;
            }

            if (!HasConditions(exit))
            {
                flags = hasContinue ? continueFlags : ValueFlags.Other;
            }

            Judge(flags, ref hasOtherExit);
        }
    }

    private bool IsGatedByOtherData()
    {
        foreach (var continuation in continues)
        {
            if (continuation is IBranchOperation { BranchKind: BranchKind.Continue })
            {
                var flags = ControlFlags(continuation, out var inCatch);
                if (!inCatch && IsOtherOnly(flags))
                {
                    return true;
                }
            }
        }

        foreach (var call in modelInvocations)
        {
            if (!IsOtherOnly(ControlFlags(call, out _)))
            {
                return false;
            }
        }

        return modelInvocations.Count > 0;
    }

    private static bool IsOtherOnly(ValueFlags flags)
        => (flags & ValueFlags.Other) != 0 && (flags & ValueFlags.Model) == 0;

    /// <summary>
    /// Whether a "keep going" condition is itself a bound: one of its <c>&amp;&amp;</c> operands is, or every one of its
    /// <c>||</c> operands is (<c>while (!done || i &lt; 10)</c> keeps going as long as <c>!done</c> holds).
    /// </summary>
    private bool ConditionIsBound(IOperation condition)
    {
        condition = condition.UnwrapAllConversions() ?? condition;
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return ConditionIsBound(and.LeftOperand) || ConditionIsBound(and.RightOperand);
        }

        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or)
        {
            return ConditionIsBound(or.LeftOperand) && ConditionIsBound(or.RightOperand);
        }

        return (Evaluate(condition) & ValueFlags.Bound) != 0;
    }

    private static void Judge(ValueFlags flags, ref bool hasOtherExit)
    {
        if ((flags & ValueFlags.Model) == 0 && (flags & ValueFlags.Other) != 0)
        {
            hasOtherExit = true;
        }
    }

    private bool HasConditions(IOperation operation)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (region.Roots.Contains(child) || IsRegionLoop(parent))
            {
                return false;
            }

            if (IsControlling(parent, child) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The flags of every condition that decides whether <paramref name="operation"/> runs, within the region.</summary>
    private ValueFlags ControlFlags(IOperation operation, out bool inCatch)
    {
        inCatch = false;
        var flags = ValueFlags.None;
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (region.Roots.Contains(child) || IsRegionLoop(parent))
            {
                break;
            }

            if (parent is ICatchClauseOperation)
            {
                inCatch = true;
            }

            var condition = IsControlling(parent, child);
            if (condition is not null)
            {
                flags |= Evaluate(condition);
            }
        }

        return flags;
    }

    /// <summary>Whether <paramref name="exit"/> is in a catch clause, within the region, for AgentGuard's <c>BudgetExceededException</c>.</summary>
    private bool InBudgetCatch(IOperation exit)
    {
        for (IOperation? child = exit, parent = exit.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (region.Roots.Contains(child) || IsRegionLoop(parent))
            {
                return false;
            }

            if (parent is ICatchClauseOperation { ExceptionType: INamedTypeSymbol caught }
                && caught.Name == "BudgetExceededException"
                && caught.ContainingNamespace is { Name: "AgentGuard", ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The loop the region is, whose own condition is judged separately.</summary>
    private bool IsRegionLoop(IOperation operation)
        => operation is ILoopOperation && region.Kind is RegionKind.Loop or RegionKind.ForEach && region.Roots.Contains(operation);

    /// <summary>The condition of <paramref name="parent"/> that decides whether <paramref name="child"/> runs, if any.</summary>
    private static IOperation? IsControlling(IOperation parent, IOperation child)
        => parent switch
        {
            IConditionalOperation conditional when child != conditional.Condition => conditional.Condition,
            ISwitchOperation switchOperation when child != switchOperation.Value => switchOperation.Value,
            ISwitchExpressionOperation switchExpression when child != switchExpression.Value => switchExpression.Value,
            IWhileLoopOperation whileLoop when child != whileLoop.Condition => whileLoop.Condition,
            IForLoopOperation forLoop when child != forLoop.Condition => forLoop.Condition,
            IForEachLoopOperation forEach when child != forEach.Collection => forEach.Collection,
            ICoalesceOperation coalesce when child != coalesce.Value => coalesce.Value,
            IConditionalAccessOperation access when child != access.Operation => access.Operation,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical
                when child == logical.RightOperand => logical.LeftOperand,
            _ => null,
        };
}
