using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>The order of messages and system blocks: collections of them, and inserts into a history.</summary>
public sealed partial class VariablePromptPrefixAnalyzer
{
    private static readonly ImmutableHashSet<string> GrowingMethods = ImmutableHashSet.Create(
        "Add", "AddRange", "AddMessage", "AddSystemMessage", "AddDeveloperMessage", "AddUserMessage", "AddAssistantMessage");

    private static void AnalyzeMessageCollection(SyntaxNodeAnalysisContext context, PromptSymbols prompts)
    {
        var elements = MessageCollections.ElementsOf(context.Node);
        if (elements.Count < 2 || !MayHoldMessages(context.Node))
        {
            return;
        }

        var entries = new List<OrderedEntry?>(elements.Count);
        var any = false;
        foreach (var element in elements)
        {
            // Messages are created or built by a factory call; skip everything else without binding it.
            if (element is (BaseObjectCreationExpressionSyntax or InvocationExpressionSyntax)
                && OperationOf(element, context.SemanticModel, context.CancellationToken) is { } operation
                && PromptMessage.From(operation, prompts) is { } message)
            {
                entries.Add(new OrderedEntry(message.IsSystem, message.Content, cacheBreakpoint: false));
                any = true;
            }
            else
            {
                entries.Add(null);
            }
        }

        if (any && AnalyzeOrder(context.Node, elements, entries, context.SemanticModel, context.Options, context.CancellationToken, "A message with variable content", "constant messages", "put the constant messages first") is { } diagnostic)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// Anthropic's <c>System</c>: a string is read like any system prompt; a list of text blocks like a list of
    /// messages, where a cache breakpoint on a constant block after a variable one also counts.
    /// </summary>
    private static void AnalyzeAnthropicSystem(OperationAnalysisContext context, IOperation value, PromptSymbols prompts)
    {
        var operation = value.UnwrapImplicitAndStringConversions();
        if (operation.Type?.SpecialType == SpecialType.System_String)
        {
            AnalyzeText(context, operation, volatileOnly: false);
            return;
        }

        if (operation is not IObjectCreationOperation { Initializer.Syntax: InitializerExpressionSyntax initializer }
            || context.Operation.SemanticModel is not { } model)
        {
            return;
        }

        var elements = MessageCollections.ElementsOf(initializer);
        var entries = new List<OrderedEntry?>(elements.Count);
        var any = false;
        foreach (var element in elements)
        {
            var block = OperationOf(element, model, context.CancellationToken) is { } elementOperation
                ? ReadTextBlock(elementOperation.UnwrapImplicitConversions(), prompts)
                : null;
            entries.Add(block);
            any |= block is not null;
        }

        if (!any)
        {
            return;
        }

        // The text of a block is a system prompt of its own.
        foreach (var entry in entries)
        {
            if (entry is { } block && PromptText.Read(block.Content, model, context.CancellationToken).FirstVariableBeforeStableText(volatileOnly: false) is { } own
                && own.StableAfter >= MinStableLength(context.Options, model.SyntaxTree))
            {
                AnalyzeText(context, block.Content, volatileOnly: false);
                return;
            }
        }

        if (elements.Count >= 2
            && AnalyzeOrder(initializer, elements, entries, model, context.Options, context.CancellationToken, "A system block with variable content", "constant system blocks", "put the constant blocks first") is { } diagnostic)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary><c>new TextBlockParam { Text = …, CacheControl = … }</c> or <c>new TextBlockParam(text)</c>.</summary>
    private static OrderedEntry? ReadTextBlock(IOperation operation, PromptSymbols prompts)
    {
        if (operation is not IObjectCreationOperation creation || !Is(creation.Type as INamedTypeSymbol, prompts.AnthropicTextBlock))
        {
            return null;
        }

        IOperation? text = null;
        var cache = false;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String)
            {
                text = argument.Value;
            }
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var initialized in initializer.Initializers)
            {
                if (initialized is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: var name } } assignment)
                {
                    if (name == "Text")
                    {
                        text = assignment.Value;
                    }
                    else if (name == "CacheControl" && !(assignment.Value.UnwrapAllConversions()?.ConstantValue is { HasValue: true, Value: null }))
                    {
                        cache = true;
                    }
                }
            }
        }

        return text is null ? null : new OrderedEntry(isSystem: true, text, cache);
    }

    /// <summary>
    /// The diagnostic for an element with variable content ahead of constant elements that hold at least
    /// <c>AG0003.min_stable_length</c> characters or a cache breakpoint; <see langword="null"/> when there is none.
    /// </summary>
    private static Diagnostic? AnalyzeOrder(
        SyntaxNode collection,
        List<ExpressionSyntax> elements,
        List<OrderedEntry?> entries,
        SemanticModel model,
        AnalyzerOptions options,
        CancellationToken cancellationToken,
        string subject,
        string constantKind,
        string advice)
    {
        var minimum = MinStableLength(options, collection.SyntaxTree);
        var firstVariable = -1;
        var constantAfter = 0;
        var cacheAfter = false;
        var stable = new StringBuilder();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                continue;
            }

            var text = PromptText.Read(entry.Content, model, cancellationToken);
            if (text.IsConstant)
            {
                stable.Append(stable.Length == 0 ? string.Empty : ",").Append(i.ToString(CultureInfo.InvariantCulture));
                if (firstVariable >= 0)
                {
                    constantAfter += text.ConstantLength;
                    cacheAfter |= entry.CacheBreakpoint;
                }
            }
            else if (firstVariable < 0)
            {
                if (entry.IsSystem && text.FirstVariableBeforeStableText(volatileOnly: false) is { } own && own.StableAfter >= minimum)
                {
                    // The element's own text is already reported at its variable part.
                    return null;
                }

                firstVariable = i;
            }
        }

        if (firstVariable < 0 || constantAfter == 0 || (constantAfter < minimum && !cacheAfter))
        {
            return null;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(PromptFixProperties.Fix, PromptFixProperties.FixReorderElements)
            .Add(PromptFixProperties.StableElements, stable.ToString());
        var what = constantAfter.ToString(CultureInfo.InvariantCulture) + " characters of " + constantKind
            + (cacheAfter ? " and a cache breakpoint" : string.Empty);
        return Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            elements[firstVariable].GetLocation(),
            new[] { collection.GetLocation() },
            properties,
            subject,
            what,
            advice);
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
        var history = invocation.Instance.UnwrapImplicitAndStringConversions();
        var initial = InitialMessages(history, model, prompts, context.CancellationToken);
        if (initial is null || initial.Count == 0 || initial[0] is not { IsSystem: true } system)
        {
            return;
        }

        var systemText = PromptText.Read(system.Content, model, context.CancellationToken);
        if (!systemText.IsConstant || systemText.ConstantLength < MinStableLength(context.Options, model.SyntaxTree))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (history is ILocalReferenceOperation local && OnlyGrownBefore(local.Local, invocation.Syntax, context.CancellationToken))
        {
            // After every leading constant message: the stable prefix the provider caches.
            var prefix = 1;
            while (prefix < initial.Count && initial[prefix] is { } next && PromptText.Read(next.Content, model, context.CancellationToken).IsConstant)
            {
                prefix++;
            }

            properties = properties
                .Add(PromptFixProperties.Fix, PromptFixProperties.FixInsertAfterPrefix)
                .Add(PromptFixProperties.Index, prefix.ToString(CultureInfo.InvariantCulture));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            invocation.Syntax.GetLocation(),
            additionalLocations: null,
            properties,
            "A message with variable content inserted at index 0",
            "the constant system message (" + systemText.ConstantLength.ToString(CultureInfo.InvariantCulture) + " characters)",
            "add it after the system message"));
    }

    /// <summary>
    /// Whether every use of <paramref name="local"/> before <paramref name="use"/> only adds to it (<c>Add</c>,
    /// <c>AddRange</c>, <c>AddUserMessage</c> …) and the insert runs once: then its initial messages are still at its head.
    /// </summary>
    private static bool OnlyGrownBefore(ILocalSymbol local, SyntaxNode use, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.EnclosingFunctionScope() is not { } scope
            || use.EnclosingFunctionScope() != scope)
        {
            return false;
        }

        for (var node = use.Parent; node is not null && node != scope; node = node.Parent)
        {
            if (node is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
            {
                // Run again, the insert would meet whatever the rest of the loop left in the history.
                return false;
            }
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node.SpanStart >= use.SpanStart)
            {
                break;
            }

            if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == local.Name
                && !(identifier.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax } access
                    && access.Expression == identifier
                    && GrowingMethods.Contains(access.Name.Identifier.ValueText)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The messages a history local or field is initialized with in this file, in order; <see langword="null"/> when not visible.</summary>
    private static List<PromptMessage?>? InitialMessages(IOperation history, SemanticModel model, PromptSymbols prompts, CancellationToken cancellationToken)
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
            return new List<PromptMessage?> { viaConstructor };
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

        var result = new List<PromptMessage?>();
        foreach (var element in MessageCollections.ElementsOf(collection))
        {
            result.Add(OperationOf(element, model, cancellationToken) is { } operation ? PromptMessage.From(operation, prompts) : null);
        }

        return result;
    }

    /// <summary>
    /// The operation of a collection element. <c>GetOperation</c> returns nothing for the elements of a collection
    /// expression, so look the element up among the descendants of the nearest enclosing operation.
    /// </summary>
    /// <summary>
    /// Whether a collection's syntax names anything a message is made of (a message type or factory, a role, a
    /// history): most collections in a project hold something else, and are left before any element is bound.
    /// </summary>
    private static bool MayHoldMessages(SyntaxNode collection)
    {
        foreach (var token in collection.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken)
                && (token.ValueText.IndexOf("Message", StringComparison.Ordinal) >= 0
                    || token.ValueText.IndexOf("role", StringComparison.OrdinalIgnoreCase) >= 0
                    || token.ValueText.IndexOf("History", StringComparison.Ordinal) >= 0))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? OperationOf(ExpressionSyntax element, SemanticModel model, CancellationToken cancellationToken)
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

    /// <summary>A message or system block of a collection: its role, its text and whether it carries a cache breakpoint.</summary>
    private readonly struct OrderedEntry
    {
        public OrderedEntry(bool isSystem, IOperation content, bool cacheBreakpoint)
        {
            IsSystem = isSystem;
            Content = content;
            CacheBreakpoint = cacheBreakpoint;
        }

        public bool IsSystem { get; }

        public IOperation Content { get; }

        public bool CacheBreakpoint { get; }
    }
}
