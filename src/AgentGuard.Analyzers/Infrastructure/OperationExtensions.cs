using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// Operation helpers shared by the rules, one per meaning. Helpers that look alike but stop at different nodes
/// (implicit conversions only, or every conversion and parenthesis) are separate, each named by what it removes.
/// </summary>
internal static class OperationExtensions
{
    /// <summary>Removes the conversions the compiler inserted (implicit ones) and nothing else.</summary>
    public static IOperation UnwrapImplicitConversions(this IOperation operation)
    {
        var current = operation;
        while (current is IConversionOperation { IsImplicit: true } conversion)
        {
            current = conversion.Operand;
        }

        return current;
    }

    /// <summary>
    /// Removes implicit conversions, conversions of a string (<c>(object)"text"</c>) and parentheses: what a prompt
    /// rule needs to reach the text a value was built from.
    /// </summary>
    public static IOperation UnwrapImplicitAndStringConversions(this IOperation operation)
    {
        var current = operation;
        while (true)
        {
            switch (current)
            {
                case IConversionOperation conversion when conversion.Operand.Type?.SpecialType == SpecialType.System_String || conversion.IsImplicit:
                    current = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    current = parenthesized.Operand;
                    continue;
                default:
                    return current;
            }
        }
    }

    /// <summary>Removes every conversion, implicit or written (<c>(int)x</c>), and every parenthesis.</summary>
    public static IOperation? UnwrapAllConversions(this IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// The variable or member an operation reads or writes once conversions are removed: a local, a parameter, a
    /// field or a property (an indexer included); otherwise <see langword="null"/>.
    /// </summary>
    public static ISymbol? ReferencedSymbol(this IOperation? operation)
        => operation.UnwrapAllConversions() switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

    /// <summary>
    /// Like <see cref="ReferencedSymbol"/>, but only a place that holds one value: an indexer access
    /// (<c>list[i]</c>) is an element, not the storage itself, and gives <see langword="null"/>.
    /// </summary>
    public static ISymbol? ReferencedStorageSymbol(this IOperation? operation)
        => operation.UnwrapAllConversions() switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property,
            _ => null,
        };

    /// <summary>Whether <paramref name="operation"/> is <paramref name="ancestor"/> or lies inside it.</summary>
    public static bool IsWithin(this IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The function an operation runs in: the innermost local function around it, else the member being analyzed.
    /// <see langword="null"/> inside a lambda (which runs when its delegate is invoked, not where it is written).
    /// </summary>
    public static IMethodSymbol? EnclosingFunction(this IOperation operation, ISymbol containingSymbol)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation)
            {
                return null;
            }

            if (parent is ILocalFunctionOperation localFunction)
            {
                return localFunction.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }

    /// <summary>The root of the operation tree <paramref name="operation"/> belongs to (the body of the member being analyzed).</summary>
    public static IOperation OutermostOperation(this IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>
    /// <paramref name="root"/> and its descendants, depth first, as they run when <paramref name="root"/> runs: local
    /// functions declared inside are skipped (they run when called); lambda bodies are included when
    /// <paramref name="includeLambdas"/> is set.
    /// </summary>
    public static IEnumerable<IOperation> DescendantsAndSelfSkippingLocalFunctions(this IOperation root, bool includeLambdas)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is null
                    || child is ILocalFunctionOperation
                    || (!includeLambdas && child is IAnonymousFunctionOperation))
                {
                    continue;
                }

                stack.Push(child);
            }
        }
    }
}
