using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>Syntax helpers shared by the rules, for the few places that match syntax before binding it.</summary>
internal static class SyntaxExtensions
{
    /// <summary>The name a call is made by: <c>M</c> in <c>x.M()</c>, <c>x?.M()</c>, <c>M()</c> and <c>M&lt;T&gt;()</c>; empty otherwise.</summary>
    public static string InvokedName(this ExpressionSyntax expression)
        => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };

    /// <summary>
    /// The whole member a node lies in (method, accessor, property, indexer, or the type for an initializer), lambdas
    /// and local functions included, or the compilation unit for a top-level statement: every place a local declared
    /// at <paramref name="node"/> can be read or written.
    /// </summary>
    public static SyntaxNode? EnclosingMemberScope(this SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case GlobalStatementSyntax:
                    return current.Parent;
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                case PropertyDeclarationSyntax:
                case IndexerDeclarationSyntax:
                case BaseTypeDeclarationSyntax:
                    return current;
            }
        }

        return null;
    }

    /// <summary>
    /// The innermost function a node lies in: a method, an accessor, a local function or a lambda, or the compilation
    /// unit for a top-level statement. Unlike <see cref="EnclosingMemberScope"/>, it stops at a lambda or local function.
    /// </summary>
    public static SyntaxNode? EnclosingFunctionScope(this SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case GlobalStatementSyntax:
                    return current.Parent;
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                case LocalFunctionStatementSyntax:
                case AnonymousFunctionExpressionSyntax:
                    return current;
            }
        }

        return null;
    }

    /// <summary>The simple name a type is written with: <c>C</c> in <c>C</c>, <c>N.C</c>, <c>global::C</c> and <c>C&lt;T&gt;</c>; empty otherwise.</summary>
    public static string RightmostName(this TypeSyntax type)
        => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
}
