using AgentGuard.Analyzers.Infrastructure;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>Tool lists whose order can change between calls or processes.</summary>
public sealed partial class VariablePromptPrefixAnalyzer
{
    private const int MaxOrderDepth = 32;

    private static void AnalyzeTools(OperationAnalysisContext context, IOperation value)
    {
        var model = context.Operation.SemanticModel;
        var source = value.UnwrapImplicitAndStringConversions();
        var reason = UnstableOrder(source, 0);
        if (reason is null
            && model is not null
            && source is ILocalReferenceOperation local
            && local.Local.DeclaringSyntaxReferences.Length == 1
            && local.Local.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            && initializer.SyntaxTree == model.SyntaxTree
            && model.GetOperation(initializer, context.CancellationToken) is { } initialValue)
        {
            reason = UnstableOrder(initialValue, 0);
        }

        if (reason is null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            value.Syntax.GetLocation(),
            additionalLocations: null,
            ImmutableDictionary<string, string?>.Empty.Add(PromptFixProperties.Fix, PromptFixProperties.FixOrderTools),
            "The tool list (" + reason + ")",
            "the system prompt and the conversation",
            "build the tool list in a fixed order"));
    }

    /// <summary>
    /// <c>foreach (var tool in set) options.Tools.Add(tool);</c> — the way to fill a get-only tool list such as OpenAI's
    /// <c>ChatCompletionOptions.Tools</c> — over a source whose order can change.
    /// </summary>
    private static void AnalyzeToolLoop(OperationAnalysisContext context, PromptSymbols prompts)
    {
        if (context.Operation is not IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: { } item } } loop
            || UnstableOrder(loop.Collection.UnwrapImplicitAndStringConversions(), 0) is not { } reason)
        {
            return;
        }

        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property: { Name: "Tools", ContainingType: { } owner } }, Arguments.Length: 1 } add
                && prompts.HasToolList(owner)
                && add.Arguments[0].Value.UnwrapImplicitAndStringConversions() is ILocalReferenceOperation added
                && SymbolEqualityComparer.Default.Equals(added.Local, item))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
                    loop.Collection.UnwrapImplicitAndStringConversions().Syntax.GetLocation(),
                    additionalLocations: null,
                    ImmutableDictionary<string, string?>.Empty.Add(PromptFixProperties.Fix, PromptFixProperties.FixOrderTools),
                    "The tool list (" + reason + ")",
                    "the system prompt and the conversation",
                    "build the tool list in a fixed order"));
                return;
            }
        }
    }

    /// <summary>
    /// Why <paramref name="operation"/> yields its items in an order that can change, or <see langword="null"/>. A sort
    /// on a stable key (<c>OrderBy(t =&gt; t.Name)</c>) fixes the order of whatever it sorts.
    /// </summary>
    private static string? UnstableOrder(IOperation operation, int depth)
    {
        if (depth > MaxOrderDepth)
        {
            return null;
        }

        if (operation is IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "Shuffle":
                    return "shuffled";
                case "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending" or "Order" or "OrderDescending":
                    foreach (var argument in invocation.Arguments)
                    {
                        if (method.IsExtensionMethod && argument.Parameter?.Ordinal == 0)
                        {
                            continue;
                        }

                        if (VolatileValues.Find(argument.Value) is { } key)
                        {
                            return "ordered by " + key;
                        }
                    }

                    if (method.Name is "OrderBy" or "OrderByDescending" or "Order" or "OrderDescending")
                    {
                        // Sorted on a stable key: the order of the source no longer matters.
                        return null;
                    }

                    break;
            }
        }

        if (operation.Type is INamedTypeSymbol { Name: "HashSet" or "ISet" or "IReadOnlySet" } set
            && set.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
            && operation is ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation or IInvocationOperation)
        {
            return "enumerated from a " + set.Name;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (UnstableOrder(child, depth + 1) is { } reason)
            {
                return reason;
            }
        }

        return null;
    }
}
