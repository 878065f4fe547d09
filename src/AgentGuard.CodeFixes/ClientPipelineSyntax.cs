using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.CodeFixes;

/// <summary>Writes a chat client wrapped in a pipeline: <c>client.AsBuilder()….Build()</c>, for the fixes that cap or trim a client.</summary>
internal static class ClientPipelineSyntax
{
    /// <summary>
    /// <paramref name="client"/> followed by <paramref name="pipeline"/> (text that starts with <c>.</c>), the client
    /// parenthesized where member access would bind to less than all of it, its trivia kept.
    /// </summary>
    public static ExpressionSyntax Wrap(ExpressionSyntax client, string pipeline)
    {
        var receiver = client is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ThisExpressionSyntax or ParenthesizedExpressionSyntax
            ? client.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(client.WithoutTrivia());
        var expression = SyntaxFactory.ParseExpression(Placeholder + pipeline);
        foreach (var node in expression.DescendantNodes())
        {
            if (node is IdentifierNameSyntax { Identifier.ValueText: Placeholder } identifier)
            {
                return expression.ReplaceNode(identifier, receiver).WithTriviaFrom(client);
            }
        }

        return client;
    }

    private const string Placeholder = "__client";
}
