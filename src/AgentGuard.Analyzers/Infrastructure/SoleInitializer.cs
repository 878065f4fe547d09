using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>What a local or field provably holds when the only value it is ever given is its initializer.</summary>
internal static class SoleInitializer
{
    /// <summary>
    /// The initializer of a local or private field declared once in <paramref name="model"/>'s file and never assigned,
    /// deconstructed into or passed by <c>ref</c> / <c>out</c> again in its scope (the member for a local, every part of
    /// the type for a field); <see langword="null"/> otherwise. Matching by name over-approximates, which can only make
    /// a caller more careful.
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

        if (symbol is ILocalSymbol)
        {
            return declarator.EnclosingMemberScope() is { } scope && !Assigns(scope, symbol.Name) ? value : null;
        }

        // A field: private, so only its own type assigns it — in any of its parts.
        if (symbol.DeclaredAccessibility != Accessibility.Private || symbol.ContainingType is not { } type)
        {
            return null;
        }

        foreach (var part in type.DeclaringSyntaxReferences)
        {
            if (Assigns(part.GetSyntax(cancellationToken), symbol.Name))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>An assignment, a deconstruction into, or a <c>ref</c> / <c>out</c> argument of a variable of this name.</summary>
    private static bool Assigns(SyntaxNode scope, string name)
    {
        foreach (var node in scope.DescendantNodes())
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax or MemberAccessExpressionSyntax } assignment
                    when assignment.Left.InvokedName() == name:
                    return true;

                case AssignmentExpressionSyntax { Left: TupleExpressionSyntax tuple }:
                    foreach (var element in tuple.Arguments)
                    {
                        if (element.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax && element.Expression.InvokedName() == name)
                        {
                            return true;
                        }
                    }

                    break;

                case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax } argument
                    when argument.Expression.InvokedName() == name:
                    return true;
            }
        }

        return false;
    }
}
