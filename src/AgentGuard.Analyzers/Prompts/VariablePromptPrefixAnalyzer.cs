using System.Collections.Immutable;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// AG0003: text that changes from call to call placed ahead of text that does not, in what the provider reads
/// first — so the provider's prompt cache, which matches the longest exact prefix, misses on every call.
/// </summary>
/// <remarks>
/// Reported: a system or developer message, or <c>ChatOptions.Instructions</c>, whose first variable part precedes
/// at least <c>AG0003.min_stable_length</c> characters of constant text; any message whose clock, GUID or random
/// value precedes that much constant text; a message with variable content ahead of constant messages in a
/// collection of messages, or inserted at index 0 of a history that starts with a constant system message; and
/// <c>ChatOptions.Tools</c> built from a <c>HashSet</c> or in random order. Not reported: constant interpolated
/// strings, variable text after the stable text, and user messages whose variable parts are ordinary input.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class VariablePromptPrefixAnalyzer : AgentGuardAnalyzer
{
    /// <summary>The diagnostic property that marks a text diagnostic whose prompt the fix can reorder.</summary>
    internal const string RewritableProperty = "Rewritable";

    private const string MoveAfterStableText = "move the variable part after the stable text";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var prompts = new PromptSymbols(symbols);
        if (prompts.HasMessageTypes)
        {
            context.RegisterOperationAction(c => AnalyzeMessageCreation(c, prompts), OperationKind.ObjectCreation);
            context.RegisterOperationAction(c => AnalyzeInvocation(c, prompts), OperationKind.Invocation);
            context.RegisterSyntaxNodeAction(
                c => AnalyzeMessageCollection(c, prompts),
                SyntaxKind.CollectionExpression,
                SyntaxKind.CollectionInitializerExpression,
                SyntaxKind.ArrayInitializerExpression);
        }

        if (prompts.ChatOptions is { } chatOptions)
        {
            context.RegisterOperationAction(c => AnalyzeOptionsAssignment(c, chatOptions), OperationKind.SimpleAssignment);
        }
    }

    private static void AnalyzeMessageCreation(OperationAnalysisContext context, PromptSymbols prompts)
    {
        if (PromptMessage.From(context.Operation, prompts) is { } message)
        {
            AnalyzeText(context, message.Content, volatileOnly: !message.IsSystem);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, PromptSymbols prompts)
    {
        if (context.Operation is not IInvocationOperation invocation)
        {
            return;
        }

        if ((PromptMessage.From(invocation, prompts) ?? PromptMessage.FromHistoryAdd(invocation, prompts)) is { } message)
        {
            AnalyzeText(context, message.Content, volatileOnly: !message.IsSystem);
            return;
        }

        if (invocation.TargetMethod.Name == "Insert")
        {
            AnalyzeInsertAtStart(context, invocation, prompts);
        }
    }

    private static void AnalyzeOptionsAssignment(OperationAnalysisContext context, INamedTypeSymbol chatOptions)
    {
        if (context.Operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
            || !target.Property.ContainingType.IsOrDerivesFrom(chatOptions))
        {
            return;
        }

        switch (target.Property.Name)
        {
            case "Instructions":
                // Sent as the very first system message.
                AnalyzeText(context, assignment.Value, volatileOnly: false);
                break;
            case "Tools":
                AnalyzeTools(context, assignment.Value);
                break;
        }
    }

    private static void AnalyzeText(OperationAnalysisContext context, IOperation content, bool volatileOnly)
    {
        var model = context.Operation.SemanticModel;
        if (model is null)
        {
            return;
        }

        var text = PromptText.Read(content, model, context.CancellationToken);
        if (text.FirstVariableBeforeStableText(volatileOnly) is not { } found)
        {
            return;
        }

        var minimum = MinStableLength(context.Options, model.SyntaxTree);
        if (found.StableAfter < minimum)
        {
            return;
        }

        var subject = found.Part.VolatileSource ?? "The variable part '" + Short(found.Part.Node) + "'";
        var properties = ImmutableDictionary<string, string?>.Empty;
        Location[]? additional = null;
        if (text.RewritableExpression is { } rewritable)
        {
            properties = properties.Add(RewritableProperty, "true");
            additional = new[] { rewritable.GetLocation() };
        }

        // Report at the variable part when it is written here; when it came through a local or a StringBuilder, at
        // the prompt's use, so the diagnostic stays local to the code that sends it.
        var location = found.Part.Node.SyntaxTree == context.Operation.Syntax.SyntaxTree
            && context.Operation.Syntax.Span.Contains(found.Part.Node.Span)
            ? found.Part.Node.GetLocation()
            : content.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            location,
            additional,
            properties,
            subject,
            found.StableAfter.ToString(CultureInfo.InvariantCulture) + " characters of stable prompt text",
            MoveAfterStableText));
    }

    private static void AnalyzeMessageCollection(SyntaxNodeAnalysisContext context, PromptSymbols prompts)
    {
        var elements = ElementsOf(context.Node);
        if (elements.Count < 2)
        {
            return;
        }

        SyntaxNode? firstVariable = null;
        var constantAfter = 0;
        foreach (var element in elements)
        {
            // Messages are created or built by a factory call; skip everything else without binding it.
            if (element is not (BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax)
                || OperationOf(element, context.SemanticModel, context.CancellationToken) is not { } operation
                || PromptMessage.From(operation, prompts) is not { } message)
            {
                continue;
            }

            var text = PromptText.Read(message.Content, context.SemanticModel, context.CancellationToken);
            if (firstVariable is null)
            {
                if (!text.IsConstant)
                {
                    if (message.IsSystem && text.FirstVariableBeforeStableText(volatileOnly: false) is { } own
                        && own.StableAfter >= MinStableLength(context.Options, context.Node.SyntaxTree))
                    {
                        // The message's own text is already reported at its variable part.
                        return;
                    }

                    firstVariable = element;
                }
            }
            else if (text.IsConstant)
            {
                constantAfter += text.ConstantLength;
            }
        }

        if (firstVariable is null || constantAfter == 0)
        {
            return;
        }

        if (constantAfter < MinStableLength(context.Options, context.Node.SyntaxTree))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            firstVariable.GetLocation(),
            "A message with variable content",
            constantAfter.ToString(CultureInfo.InvariantCulture) + " characters of constant messages",
            "put the constant messages first"));
    }

    private static void AnalyzeInsertAtStart(OperationAnalysisContext context, IInvocationOperation invocation, PromptSymbols prompts)
    {
        var model = invocation.SemanticModel;
        if (model is null || invocation.Arguments.Length != 2 || invocation.Instance is null)
        {
            return;
        }

        IOperation? index = null;
        IOperation? item = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "index")
            {
                index = argument.Value;
            }
            else
            {
                item = argument.Value;
            }
        }

        if (index?.ConstantValue.Value is not 0
            || item is null
            || PromptMessage.From(item, prompts) is not { } inserted
            || PromptText.Read(inserted.Content, model, context.CancellationToken).IsConstant)
        {
            return;
        }

        // The history must visibly start with a constant system message.
        var first = FirstMessageOf(invocation.Instance.UnwrapImplicitAndStringConversions(), model, prompts, context.CancellationToken);
        if (first is not { IsSystem: true } system)
        {
            return;
        }

        var systemText = PromptText.Read(system.Content, model, context.CancellationToken);
        if (!systemText.IsConstant || systemText.ConstantLength < MinStableLength(context.Options, model.SyntaxTree))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            invocation.Syntax.GetLocation(),
            "A message with variable content inserted at index 0",
            "the constant system message (" + systemText.ConstantLength.ToString(CultureInfo.InvariantCulture) + " characters)",
            "add it after the system message"));
    }

    private static PromptMessage? FirstMessageOf(IOperation history, SemanticModel model, PromptSymbols prompts, System.Threading.CancellationToken cancellationToken)
    {
        ISymbol? symbol = history switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };

        if (symbol is null
            || symbol.DeclaringSyntaxReferences.Length != 1
            || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value }
            || value.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        if (model.GetOperation(value, cancellationToken) is { } created && PromptMessage.From(created, prompts) is { IsSystem: true } viaConstructor)
        {
            // new ChatHistory("You are …")
            return viaConstructor;
        }

        SyntaxNode? collection = value switch
        {
            CollectionExpressionSyntax expression => expression,
            BaseObjectCreationExpressionSyntax { Initializer: { } initializer } => initializer,
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer,
            ImplicitArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer,
            _ => null,
        };

        if (collection is null)
        {
            return null;
        }

        var elements = ElementsOf(collection);
        return elements.Count > 0 && OperationOf(elements[0], model, cancellationToken) is { } firstElement
            ? PromptMessage.From(firstElement, prompts)
            : null;
    }

    private static void AnalyzeTools(OperationAnalysisContext context, IOperation value)
    {
        var model = context.Operation.SemanticModel;
        var source = value.UnwrapImplicitAndStringConversions();
        var reason = UnstableOrder(source);
        if (reason is null
            && model is not null
            && source is ILocalReferenceOperation local
            && local.Local.DeclaringSyntaxReferences.Length == 1
            && local.Local.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            && initializer.SyntaxTree == model.SyntaxTree
            && model.GetOperation(initializer, context.CancellationToken) is { } initialValue)
        {
            reason = UnstableOrder(initialValue);
        }

        if (reason is null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            value.Syntax.GetLocation(),
            "The tool list (" + reason + ")",
            "the system prompt and the conversation",
            "build the tool list in a fixed order"));
    }

    private static string? UnstableOrder(IOperation value)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation invocation)
            {
                var name = invocation.TargetMethod.Name;
                if (name == "Shuffle")
                {
                    return "shuffled";
                }

                if (name is "OrderBy" or "OrderByDescending" or "ThenBy" or "ThenByDescending"
                    && VolatileValues.Find(invocation) is { } key)
                {
                    return "ordered by " + key;
                }
            }

            if (operation.Type is INamedTypeSymbol { Name: "HashSet" or "ISet" or "IReadOnlySet" } set
                && set.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
                && operation is ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation or IInvocationOperation)
            {
                return "enumerated from a " + set.Name;
            }
        }

        return null;
    }

    /// <summary>The elements of a message collection in order, up to the first spread (whose contents are not visible here).</summary>
    private static System.Collections.Generic.List<ExpressionSyntax> ElementsOf(SyntaxNode collection)
    {
        var result = new System.Collections.Generic.List<ExpressionSyntax>();
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

    /// <summary>
    /// The operation of a collection element. <c>GetOperation</c> returns nothing for the elements of a collection
    /// expression, so look the element up among the descendants of the nearest enclosing operation.
    /// </summary>
    private static IOperation? OperationOf(ExpressionSyntax element, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        if (model.GetOperation(element, cancellationToken) is { } direct)
        {
            return direct;
        }

        for (var node = element.Parent; node is not null and not MemberDeclarationSyntax; node = node.Parent)
        {
            if (model.GetOperation(node, cancellationToken) is not { } enclosing)
            {
                continue;
            }

            foreach (var descendant in enclosing.Descendants())
            {
                if (descendant.Syntax == element)
                {
                    return descendant;
                }
            }

            return null;
        }

        return null;
    }

    private static int MinStableLength(AnalyzerOptions options, SyntaxTree tree)
        => EditorConfigOptions.GetInt(options, tree, EditorConfigOptions.MinStableLengthKey, EditorConfigOptions.DefaultMinStableLength);

    private static string Short(SyntaxNode node)
    {
        var text = node.ToString();
        return text.Length <= 40 ? text : text.Substring(0, 37) + "...";
    }
}
