using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Walks an operation tree without descending into local function declarations (they run when called).</summary>
internal static class OperationWalker
{
    /// <summary>
    /// <paramref name="root"/> and its descendants, depth first. Local functions declared inside are skipped; lambda
    /// bodies are included when <paramref name="includeLambdas"/> is set.
    /// </summary>
    public static IEnumerable<IOperation> Descendants(IOperation root, bool includeLambdas)
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
