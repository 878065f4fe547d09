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
}
