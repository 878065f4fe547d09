using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Finds, in the declarations of one type, a chat-client pipeline that caps the output of every request:
/// AgentGuard's <c>UseAgentGuard(…)</c> (matched by name, so it works before the runtime type exists),
/// a <c>BudgetChatClient</c>, or <c>ConfigureOptions</c> / <c>ConfigureOptionsChatClient</c> whose callback mentions
/// <c>MaxOutputTokens</c>.
/// </summary>
internal static class ClientPipelineScanner
{
    private const string CapMember = "MaxOutputTokens";

    public static bool AppliesCap(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var root = reference.GetSyntax(cancellationToken);
            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax invocation:
                        var name = InvokedName(invocation.Expression);
                        if (name == "UseAgentGuard"
                            || (name == "ConfigureOptions" && Mentions(invocation.ArgumentList, CapMember)))
                        {
                            return true;
                        }

                        break;

                    case ObjectCreationExpressionSyntax creation:
                        var typeName = RightmostName(creation.Type);
                        if (typeName == "BudgetChatClient"
                            || (typeName == "ConfigureOptionsChatClient" && creation.ArgumentList is { } arguments && Mentions(arguments, CapMember)))
                        {
                            return true;
                        }

                        break;
                }
            }
        }

        return false;
    }

    private static bool Mentions(SyntaxNode node, string name)
    {
        foreach (var inner in node.DescendantNodes())
        {
            if (inner is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string InvokedName(ExpressionSyntax expression)
        => expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };

    private static string RightmostName(TypeSyntax type)
        => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
}
