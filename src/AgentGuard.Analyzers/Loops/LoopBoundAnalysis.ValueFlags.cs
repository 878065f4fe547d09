using System.Collections.Generic;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Value flags: where the value of each variable and expression comes from, computed to a fixed point.</summary>
internal sealed partial class LoopBoundAnalysis
{
    private void ComputeSymbolFlags()
    {
        foreach (var parameter in region.DepthParameters)
        {
            stepped.Add(parameter);
        }

        foreach (var (target, _, _) in assignments)
        {
            if (!symbolFlags.ContainsKey(target))
            {
                symbolFlags[target] = ValueFlags.None;
            }
        }

        // Flags only grow, so this reaches a fixed point; a few rounds cover any realistic chain of assignments.
        for (var round = 0; round < 6; round++)
        {
            var changed = false;
            foreach (var (target, value, node) in assignments)
            {
                var flags = Evaluate(value) | ControlFlags(node, out _);
                var current = symbolFlags[target];
                if ((current | flags) != current)
                {
                    symbolFlags[target] = current | flags;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }
    }

    /// <summary>Where the value of an expression comes from.</summary>
    private ValueFlags Evaluate(IOperation? operation) => Evaluate(operation, 0);

    private ValueFlags Evaluate(IOperation? operation, int depth)
    {
        if (operation is null || operation.ConstantValue.HasValue)
        {
            return ValueFlags.None;
        }

        if (depth > MaxTreeDepth)
        {
            return ValueFlags.Other;
        }

        depth++;

        switch (operation)
        {
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
                return ValueFlags.None;

            case IInvocationOperation invocation:
            {
                var flags = ValueFlags.None;
                if (modelInvocations.Contains(invocation))
                {
                    flags |= ValueFlags.Model;
                }

                var target = invocation.TargetMethod;
                if (target is not null)
                {
                    if ((cache.Reachability.ForInvocation(invocation) & Reach.Pacing) != 0
                        || LoopSymbols.IsAgentGuardRuntimeMember(target)
                        || loopSymbols.IsClockMember(target))
                    {
                        flags |= ValueFlags.Bound;
                    }
                }

                flags |= Evaluate(invocation.Instance, depth);
                foreach (var argument in invocation.Arguments)
                {
                    flags |= Evaluate(argument.Value, depth);
                }

                return flags;
            }

            case IBinaryOperation binary:
            {
                var flags = Evaluate(binary.LeftOperand, depth) | Evaluate(binary.RightOperand, depth);
                if (IsCounterComparison(binary))
                {
                    flags |= ValueFlags.Bound;
                }

                return flags;
            }

            case ILocalReferenceOperation local:
                return FlagsOfSymbol(local.Local, local.Type);

            case IParameterReferenceOperation parameter:
                return FlagsOfSymbol(parameter.Parameter, parameter.Type);

            case IFieldReferenceOperation or IPropertyReferenceOperation:
            {
                var member = ((IMemberReferenceOperation)operation).Member;
                if (LoopSymbols.IsAgentGuardRuntimeMember(member) || loopSymbols.IsClockMember(member))
                {
                    return ValueFlags.Bound;
                }

                if (IsBackgroundResponsePoll(member))
                {
                    // Polling a background response: it is generated once, the loop only waits for it.
                    return ValueFlags.Bound;
                }

                if (symbolFlags.TryGetValue(member, out var memberFlags))
                {
                    return memberFlags;
                }

                var instance = ((IMemberReferenceOperation)operation).Instance;
                if (instance is null)
                {
                    return loopSymbols.IsCancellationType(operation.Type) ? ValueFlags.None : ValueFlags.Other;
                }

                var flags = Evaluate(instance, depth);
                if (operation is IPropertyReferenceOperation indexer)
                {
                    foreach (var argument in indexer.Arguments)
                    {
                        flags |= Evaluate(argument.Value, depth);
                    }
                }

                return flags;
            }

            case IInstanceReferenceOperation:
                return ValueFlags.Other;

            case IIncrementOrDecrementOperation increment:
                return Evaluate(increment.Target, depth);
        }

        var result = ValueFlags.None;
        foreach (var child in operation.ChildOperations)
        {
            result |= Evaluate(child, depth);
        }

        return result;
    }

    private ValueFlags FlagsOfSymbol(ISymbol symbol, ITypeSymbol? type)
    {
        if (symbolFlags.TryGetValue(symbol, out var flags))
        {
            return flags;
        }

        if (loopSymbols.IsCancellationType(type))
        {
            return IsTimedToken(symbol) ? ValueFlags.Bound : ValueFlags.None;
        }

        return ValueFlags.Other;
    }

    /// <summary>
    /// <c>steps &lt; MaxSteps</c>, <c>++attempt &gt;= 3</c>, <c>turn == limit</c>: a comparison with a counter that
    /// the region steps (or that the code keeps in a field or property of its own).
    /// </summary>
    private bool IsCounterComparison(IBinaryOperation binary)
    {
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.LessThan:
            case BinaryOperatorKind.LessThanOrEqual:
                return IsCounter(binary.LeftOperand, relational: true) || IsCounter(binary.RightOperand, relational: true)
                    || IsGrownCount(binary.LeftOperand);
            case BinaryOperatorKind.GreaterThan:
            case BinaryOperatorKind.GreaterThanOrEqual:
                return IsCounter(binary.LeftOperand, relational: true) || IsCounter(binary.RightOperand, relational: true)
                    || IsGrownCount(binary.RightOperand);
            case BinaryOperatorKind.Equals:
            case BinaryOperatorKind.NotEquals:
                return IsCounter(binary.LeftOperand, relational: false) || IsCounter(binary.RightOperand, relational: false);
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>results.Count</c> on the small side of a comparison (<c>results.Count &lt; 10</c>) while the region adds
    /// to <c>results</c>: the collection counts the steps. (<c>queue.Count &gt; 0</c> is the opposite: a drain.)
    /// </summary>
    private bool IsGrownCount(IOperation? operand)
        => operand.UnwrapAllConversions() is IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongCount", Instance: { } collection }
            && collection.ReferencedSymbol() is { } collectionSymbol
            && grown.Contains(collectionSymbol);

    private bool IsCounter(IOperation? operand, bool relational)
    {
        operand = operand.UnwrapAllConversions();
        if (operand is null || operand.ConstantValue.HasValue)
        {
            return false;
        }

        if (operand is IIncrementOrDecrementOperation)
        {
            return true;
        }

        var symbol = operand.ReferencedSymbol();
        if (symbol is null || !IsIntegral(operand.Type))
        {
            return false;
        }

        if (stepped.Contains(symbol))
        {
            return true;
        }

        if (!relational || symbol is ILocalSymbol || symbol is IParameterSymbol)
        {
            return false;
        }

        if (operand is IMemberReferenceOperation { Instance: { } instance } && (Evaluate(instance) & ValueFlags.Model) != 0)
        {
            // A number read from the model's output (a score, a count) is not a counter.
            return false;
        }

        // A counter the code keeps in its own field or property may be stepped elsewhere (a helper, a callback).
        return LoopSymbols.IsAgentGuardRuntimeMember(symbol)
            || (symbol.DeclaringSyntaxReferences.Length > 0
                && !(symbolFlags.TryGetValue(symbol, out var flags) && (flags & ValueFlags.Model) != 0));
    }

    private static bool IsIntegral(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UInt16
            or SpecialType.System_Byte or SpecialType.System_SByte;

    /// <summary>
    /// A background response's continuation token (<c>ResponseContinuationToken</c>, Microsoft.Extensions.AI and Agent
    /// Framework): a loop on it polls one generation until it is done. (OpenAI's Responses API polls with
    /// <c>GetResponse</c>, which is not a model call: such a loop is not an agent loop to begin with.)
    /// </summary>
    private static bool IsBackgroundResponsePoll(ISymbol member)
        => member is IPropertySymbol { Name: "ContinuationToken" } property && property.Type.Name == "ResponseContinuationToken";
}
