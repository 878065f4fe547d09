using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>What a local or field provably holds when the only value it is ever given is its initializer.</summary>
internal static class SoleInitializer
{
    /// <summary>
    /// The initializer of a local or field declared once in <paramref name="model"/>'s file and never assigned again
    /// in its scope (the member for a local, the type for a field); <see langword="null"/> otherwise. Matching
    /// assignments by name over-approximates them, which can only make a caller more careful.
    /// </summary>
    public static ExpressionSyntax? Of(ISymbol symbol, SemanticModel model, CancellationToken cancellationToken)
    {
        if (symbol is not (ILocalSymbol { IsRef: false } or IFieldSymbol) || symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        if (symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        var scope = symbol is ILocalSymbol ? declarator.EnclosingMemberScope() : declarator.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (scope is null)
        {
            return null;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax or MemberAccessExpressionSyntax } assignment
                && assignment.Left.InvokedName() == symbol.Name)
            {
                return null;
            }
        }

        return value;
    }
}
