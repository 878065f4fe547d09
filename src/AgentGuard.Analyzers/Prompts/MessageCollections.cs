using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>The syntax of message collections, shared by AG0003's analyzer and its fix.</summary>
internal static class MessageCollections
{
    /// <summary>
    /// The elements of a collection expression or initializer in order, up to the first spread (whose contents are
    /// not visible here); empty for any other node.
    /// </summary>
    public static List<ExpressionSyntax> ElementsOf(SyntaxNode collection)
    {
        var result = new List<ExpressionSyntax>();
        switch (collection)
        {
            case CollectionExpressionSyntax expression:
                foreach (var element in expression.Elements)
                {
                    if (element is not ExpressionElementSyntax single)
                    {
                        break;
                    }

                    result.Add(single.Expression);
                }

                break;
            case InitializerExpressionSyntax initializer:
                foreach (var element in initializer.Expressions)
                {
                    result.Add(element);
                }

                break;
        }

        return result;
    }
}
