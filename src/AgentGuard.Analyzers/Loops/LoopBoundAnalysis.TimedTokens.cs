using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Timed tokens: cancellation tokens that bound a loop in time.</summary>
internal sealed partial class LoopBoundAnalysis
{
    /// <summary>
    /// A cancellation token source created with a timeout, or one on which <c>CancelAfter</c> is called, or a token
    /// taken from one: it bounds a loop in time. A token the caller passes in does not. Matched by symbol: the
    /// constructors, <c>Token</c> and <c>CancelAfter</c> of <see cref="LoopSymbols.CancellationTokenSource"/>.
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
            var syntax = reference.GetSyntax();
            if (cache.GetModel(syntax.SyntaxTree, preferredModel: null)?.GetOperation(syntax) is not IVariableDeclaratorOperation declarator)
            {
                continue;
            }

            switch (declarator.Initializer?.Value.UnwrapImplicitConversions())
            {
                case IObjectCreationOperation creation when loopSymbols.IsTimedSourceConstructor(creation.Constructor):
                    return true;
                case IPropertyReferenceOperation { Instance: ILocalReferenceOperation source } token when loopSymbols.IsSourceToken(token.Property):
                    if (ComputeIsTimedToken(source.Local, depth + 1))
                    {
                        return true;
                    }

                    break;
            }

            foreach (var operation in declarator.OutermostOperation().DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { Instance: { } instance } invocation
                    && loopSymbols.IsCancelAfter(invocation.TargetMethod)
                    && instance.UnwrapImplicitConversions() is ILocalReferenceOperation target
                    && SymbolEqualityComparer.Default.Equals(target.Local, local))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
