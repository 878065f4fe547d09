using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Timed tokens: cancellation tokens that bound a loop in time.</summary>
internal sealed partial class LoopBoundAnalysis
{
    /// <summary>
    /// A cancellation token source created with a timeout, or one on which <c>CancelAfter</c> is called, or a token
    /// taken from one: it bounds a loop in time. A token the caller passes in does not.
    /// </summary>
    private bool IsTimedToken(ISymbol symbol)
    {
        if (timedTokens.TryGetValue(symbol, out var timed))
        {
            return timed;
        }

        timedTokens[symbol] = false;
        timed = ComputeIsTimedToken(symbol, depth: 0);
        timedTokens[symbol] = timed;
        return timed;
    }

    private bool ComputeIsTimedToken(ISymbol symbol, int depth)
    {
        if (symbol is not ILocalSymbol local || depth > 2)
        {
            return false;
        }

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not VariableDeclaratorSyntax declarator)
            {
                continue;
            }

            switch (declarator.Initializer?.Value)
            {
                case BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 }:
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Token", Expression: IdentifierNameSyntax source }:
                    var sourceLocal = FindLocal(declarator, source.Identifier.ValueText);
                    if (sourceLocal is not null && ComputeIsTimedToken(sourceLocal, depth + 1))
                    {
                        return true;
                    }

                    break;
            }

            var body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax or AccessorDeclarationSyntax);
            if (body is null)
            {
                continue;
            }

            foreach (var node in body.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax
                        {
                            Name.Identifier.ValueText: "CancelAfter",
                            Expression: IdentifierNameSyntax target,
                        },
                    }
                    && target.Identifier.ValueText == local.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private ISymbol? FindLocal(SyntaxNode near, string name)
    {
        var model = reachability.GetModel(near.SyntaxTree, preferredModel: null);
        if (model is null)
        {
            return null;
        }

        foreach (var symbol in model.LookupSymbols(near.SpanStart, name: name))
        {
            if (symbol is ILocalSymbol)
            {
                return symbol;
            }
        }

        return null;
    }
}
