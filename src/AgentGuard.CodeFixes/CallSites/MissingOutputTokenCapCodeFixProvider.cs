using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Composition;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.CallSites;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace AgentGuard.CodeFixes.CallSites;

/// <summary>
/// AG0002: sets the output cap — adds it to the options' object initializer, or passes new options where there are
/// none. The cap comes from <c>agentguard.default_max_output_tokens</c> through the diagnostic's properties.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingOutputTokenCapCodeFixProvider)), Shared]
public sealed partial class MissingOutputTokenCapCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_AddMaxOutputTokens = "AG0002_AddMaxOutputTokens";

    /// <summary>Creates the provider.</summary>
    public MissingOutputTokenCapCodeFixProvider()
        : base(DiagnosticIds.MissingOutputTokenCap)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        var properties = diagnostic.Properties;
        if (properties.TryGetValue(OutputCapProperties.Fix, out var fix) && fix is not null
            && properties.TryGetValue(OutputCapProperties.CapMember, out var capMember) && capMember is not null
            && properties.TryGetValue(OutputCapProperties.MaxOutputTokens, out var cap) && cap is not null
            && int.TryParse(cap, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            var title = fix is OutputCapProperties.FixCapAgentClient or OutputCapProperties.FixCapAgentClientFactory
                ? $"Cap the agent's client at {cap} output tokens"
                : capMember == ExtensionData ? $"Set max_tokens = {cap}" : $"Set {capMember} = {cap}";
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    ct => ApplyAsync(context.Document, diagnostic, ct),
                    Key_AddMaxOutputTokens),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ApplyAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var root = editor.OriginalRoot;
        var properties = diagnostic.Properties;
        var fix = properties[OutputCapProperties.Fix];
        var capMember = properties[OutputCapProperties.CapMember]!;
        var cap = int.Parse(properties[OutputCapProperties.MaxOutputTokens]!, NumberStyles.Integer, CultureInfo.InvariantCulture);
        properties.TryGetValue(OutputCapProperties.OptionsType, out var optionsType);
        properties.TryGetValue(OutputCapProperties.WrapInType, out var wrapInType);

        switch (fix)
        {
            case OutputCapProperties.FixAddArgument:
            case OutputCapProperties.FixUseOptionsOverload:
                if (optionsType is not null
                    && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation)
                {
                    var options = Wrap(NewOptions(generator, optionsType, capMember, cap), wrapInType);
                    editor.ReplaceNode(
                        invocation.ArgumentList,
                        fix == OutputCapProperties.FixAddArgument
                            ? AddOptionsArgument(generator, invocation.ArgumentList, options, properties)
                            : UseOptionsOverload(generator, invocation.ArgumentList, options, properties));
                }

                break;

            case OutputCapProperties.FixReplaceWithNew:
                if (optionsType is not null && FindTarget(root, diagnostic) is ExpressionSyntax nullValue)
                {
                    editor.ReplaceNode(nullValue, Wrap(NewOptions(generator, optionsType, capMember, cap), wrapInType).WithTriviaFrom(nullValue));
                }

                break;

            case OutputCapProperties.FixAddToInitializer:
                if (FindTarget(root, diagnostic) is BaseObjectCreationExpressionSyntax creation)
                {
                    var assignment = properties.TryGetValue(OutputCapProperties.CapValueType, out var valueType) && valueType is not null
                        && properties.TryGetValue(OutputCapProperties.CapValueMember, out var valueMember) && valueMember is not null
                        ? (ExpressionSyntax)generator.AssignmentStatement(generator.IdentifierName(capMember), Wrap(NewOptions(generator, valueType, valueMember, cap), wrapInType))
                        : CapAssignment(generator, capMember, cap);
                    editor.ReplaceNode(creation, AddToInitializer(creation, assignment));
                }

                break;

            case OutputCapProperties.FixAddConstructorArgument:
                if (optionsType is not null && FindTarget(root, diagnostic) is BaseObjectCreationExpressionSyntax arguments)
                {
                    var settings = (ArgumentSyntax)generator.Argument(NewOptions(generator, optionsType, capMember, cap));
                    editor.ReplaceNode(arguments, AddConstructorArgument(arguments, settings));
                }

                break;

            case OutputCapProperties.FixUseResponseOptions:
                if (optionsType is not null
                    && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } responseCall
                    && ResponseOptionsArguments(responseCall.ArgumentList, optionsType, capMember, cap, properties) is { } newArguments)
                {
                    editor.ReplaceNode(responseCall.ArgumentList, newArguments);
                }

                break;

            case OutputCapProperties.FixCapAgentClientFactory:
                if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } factoryCall)
                {
                    var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    var parameter = UnusedName(model, factoryCall.SpanStart, "client");
                    var factory = SyntaxFactory.ParseExpression(
                        $"{parameter} => {CappedClientText(parameter, capMember, cap, model, factoryCall.SpanStart)}");
                    var factoryArgument = (ArgumentSyntax)generator.Argument("clientFactory", RefKind.None, factory);
                    editor.ReplaceNode(factoryCall.ArgumentList, Append(factoryCall.ArgumentList, factoryArgument));
                    if (root is CompilationUnitSyntax factoryUnit && !HasUsing(factoryUnit, ExtensionsAiNamespace))
                    {
                        editor.ReplaceNode(factoryUnit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(
                            SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ExtensionsAiNamespace)).WithAdditionalAnnotations(Formatter.Annotation)));
                    }
                }

                break;

            case OutputCapProperties.FixCapAgentClient:
                if (FindTarget(root, diagnostic) is ExpressionSyntax client)
                {
                    var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    editor.ReplaceNode(client, CappedClient(client, capMember, cap, model));
                    if (root is CompilationUnitSyntax unit && !HasUsing(unit, ExtensionsAiNamespace))
                    {
                        editor.ReplaceNode(unit, (current, _) => ((CompilationUnitSyntax)current).AddUsings(
                            SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ExtensionsAiNamespace)).WithAdditionalAnnotations(Formatter.Annotation)));
                    }
                }

                break;
        }

        // Types written fully qualified get a using directive where the file has none, then read short — unless the
        // file writes that namespace out in full itself.
        var changed = editor.GetChangedDocument();
        var writtenType = properties.TryGetValue(OutputCapProperties.CapValueType, out var capValueType) && capValueType is not null
            ? capValueType
            : optionsType;
        if (writtenType is not null && QualifiesNamespace(root, writtenType))
        {
            return changed;
        }

        return await ImportAdder.AddImportsAsync(changed, ImportAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool QualifiesNamespace(SyntaxNode root, string typeName)
    {
        var lastDot = typeName.LastIndexOf('.');
        if (lastDot <= 0)
        {
            return false;
        }

        var ns = typeName.Substring(0, lastDot + 1);
        foreach (var node in root.DescendantNodes())
        {
            if (node is QualifiedNameSyntax qualified
                && qualified.Parent is not QualifiedNameSyntax and not UsingDirectiveSyntax and not BaseNamespaceDeclarationSyntax
                && qualified.ToString().StartsWith(ns, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static SyntaxNode? FindTarget(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        // FindNode returns an argument for an argument's span; the expression is what the fix edits.
        var node = FindNodeWithSpan(root, diagnostic.AdditionalLocations[0].SourceSpan);
        return node is ArgumentSyntax argument ? argument.Expression : node;
    }

    /// <summary><c>new Options { Cap = n }</c>, the type simplified and the whole laid out by the formatter.</summary>
    private static ExpressionSyntax NewOptions(SyntaxGenerator generator, string optionsType, string capMember, int cap)
    {
        var type = SyntaxFactory.ParseTypeName("global::" + optionsType).WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation);
        return SyntaxFactory.ObjectCreationExpression(type)
            .WithInitializer(ObjectInitializer(CapAssignment(generator, capMember, cap)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary><c>new KernelArguments(settings)</c> when the options go in through another type's constructor.</summary>
    private static ExpressionSyntax Wrap(ExpressionSyntax options, string? wrapInType)
    {
        if (wrapInType is null)
        {
            return options;
        }

        var type = SyntaxFactory.ParseTypeName("global::" + wrapInType).WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation);
        return SyntaxFactory.ObjectCreationExpression(type)
            .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(options))))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static BaseObjectCreationExpressionSyntax AddConstructorArgument(BaseObjectCreationExpressionSyntax creation, ArgumentSyntax argument)
    {
        var list = creation.ArgumentList;
        if (list is null)
        {
            // new KernelArguments { … } → new KernelArguments(settings) { … }: the type keeps its trailing space.
            var explicitCreation = (ObjectCreationExpressionSyntax)creation;
            var trailing = explicitCreation.Type.GetTrailingTrivia();
            return explicitCreation
                .WithType(explicitCreation.Type.WithoutTrailingTrivia())
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(argument)).WithTrailingTrivia(trailing));
        }

        return creation.WithArgumentList(list.WithArguments(list.Arguments.Insert(0, argument)));
    }

    private const string ExtensionsAiNamespace = "Microsoft.Extensions.AI";

    /// <summary>
    /// Marks a type written fully qualified for a using directive. A file that already spells the type's namespace out
    /// in full keeps that style: the annotation is removed from its nodes before imports are added.
    /// </summary>
    private static readonly SyntaxAnnotation ImportAnnotation = Simplifier.AddImportsAnnotation;

    private const string ExtensionData = "ExtensionData";

    private static InitializerExpressionSyntax ObjectInitializer(ExpressionSyntax assignment)
        => SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(assignment));

    private static ExpressionSyntax CapAssignment(SyntaxGenerator generator, string capMember, int cap)
        => CapAssignment(capMember, cap);

    /// <summary>
    /// <c>Cap = n</c>; for Semantic Kernel's base settings,
    /// <c>ExtensionData = new Dictionary&lt;string, object&gt; { ["max_tokens"] = n }</c>, the key every connector reads.
    /// </summary>
    private static ExpressionSyntax CapAssignment(string capMember, int cap)
    {
        var value = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(cap));
        if (capMember != ExtensionData)
        {
            return SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(capMember), value);
        }

        var dictionary = (ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression(
            "new global::System.Collections.Generic.Dictionary<string, object> { [\"max_tokens\"] = " + cap.ToString(CultureInfo.InvariantCulture) + " }");
        dictionary = dictionary.WithType(dictionary.Type.WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(ExtensionData), dictionary);
    }

    private static ArgumentListSyntax AddOptionsArgument(SyntaxGenerator generator, ArgumentListSyntax list, ExpressionSyntax options, ImmutableDictionary<string, string?> properties)
    {
        properties.TryGetValue(OutputCapProperties.Positional, out var positional);
        properties.TryGetValue(OutputCapProperties.ParameterName, out var parameterName);
        var name = positional != "true" && !string.IsNullOrEmpty(parameterName) ? parameterName : null;
        return Append(list, (ArgumentSyntax)generator.Argument(name, RefKind.None, options));
    }

    private static ArgumentListSyntax UseOptionsOverload(SyntaxGenerator generator, ArgumentListSyntax list, ExpressionSyntax options, ImmutableDictionary<string, string?> properties)
    {
        var arguments = list.Arguments;
        if (!properties.TryGetValue(OutputCapProperties.Expanded, out var expanded) || expanded != "true")
        {
            // CompleteChat(messagesArray): the array already fits the IEnumerable<ChatMessage> overload.
            return Append(list, (ArgumentSyntax)generator.Argument(options));
        }

        if (arguments.Count == 0 || !properties.TryGetValue(OutputCapProperties.MessageType, out var messageType) || messageType is null)
        {
            return list;
        }

        // CompleteChat(a, b) → CompleteChat(new ChatMessage[] { a, b }, options), each message keeping its own trivia
        // and the commas between them.
        var elements = new List<ExpressionSyntax>(arguments.Count);
        foreach (var argument in arguments)
        {
            elements.Add(argument.Expression);
        }

        var elementType = SyntaxFactory.ParseTypeName("global::" + messageType).WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation);
        var array = (ArrayCreationExpressionSyntax)generator.ArrayCreationExpression(elementType, elements);
        array = array.WithInitializer(array.Initializer!.WithExpressions(SyntaxFactory.SeparatedList(elements, arguments.GetSeparators())))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var wrapped = list.WithArguments(SyntaxFactory.SingletonSeparatedList((ArgumentSyntax)generator.Argument(array)));
        return Append(wrapped, (ArgumentSyntax)generator.Argument(options));
    }

    /// <summary>Appends <paramref name="argument"/>; a line break before <c>)</c> stays before it.</summary>
    private static ArgumentListSyntax Append(ArgumentListSyntax list, ArgumentSyntax argument)
    {
        argument = argument.WithAdditionalAnnotations(Formatter.Annotation);
        if (list.Arguments.Count == 0)
        {
            return list.AddArguments(argument);
        }

        var last = list.Arguments[list.Arguments.Count - 1];
        return list.ReplaceNode(last, last.WithoutTrailingTrivia())
            .AddArguments(argument.WithTrailingTrivia(last.GetTrailingTrivia()));
    }

    private static BaseObjectCreationExpressionSyntax AddToInitializer(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax assignment)
    {
        if (creation.Initializer is not { Expressions.Count: > 0 } initializer)
        {
            // new ChatOptions() / new() / new ChatOptions { } → new ChatOptions { Cap = n }, laid out by the formatter.
            var bare = creation is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null } explicitCreation
                ? explicitCreation.WithArgumentList(null)
                : creation;
            var newInitializer = ObjectInitializer(assignment);
            if (bare.Initializer is { } empty)
            {
                newInitializer = newInitializer.WithTriviaFrom(empty);
            }

            return bare.WithInitializer(newInitializer.WithAdditionalAnnotations(Formatter.Annotation)).WithTriviaFrom(creation);
        }

        var expressions = initializer.Expressions;
        var last = expressions[expressions.Count - 1];
        var trailing = last.GetTrailingTrivia();
        SeparatedSyntaxList<ExpressionSyntax> newExpressions;
        if (expressions.SeparatorCount == expressions.Count)
        {
            // Trailing comma: "A = 1,⏎" → "A = 1,⏎    Cap = n,⏎" — the new line is laid out like the last one.
            var lastSeparator = expressions.GetSeparator(expressions.SeparatorCount - 1);
            newExpressions = SyntaxFactory.SeparatedList<ExpressionSyntax>(expressions.GetWithSeparators()
                .Add(assignment.WithLeadingTrivia(last.GetLeadingTrivia()))
                .Add(lastSeparator));
        }
        else if (IsMultiLine(trailing))
        {
            // "A = 1⏎" → "A = 1,⏎    Cap = n⏎".
            newExpressions = expressions.Replace(last, last.WithoutTrailingTrivia())
                .Add(assignment.WithLeadingTrivia(last.GetLeadingTrivia()).WithTrailingTrivia(trailing));
            newExpressions = newExpressions.ReplaceSeparator(
                newExpressions.GetSeparator(newExpressions.SeparatorCount - 1),
                SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(trailing));
        }
        else
        {
            // "{ A = 1 }" → "{ A = 1, Cap = n }": the formatter spaces the new member.
            newExpressions = expressions.Replace(last, last.WithoutTrailingTrivia())
                .Add(assignment.WithTrailingTrivia(trailing).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return creation.WithInitializer(initializer.WithExpressions(newExpressions));
    }

    private static bool IsMultiLine(SyntaxTriviaList trivia)
    {
        foreach (var item in trivia)
        {
            if (item.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return true;
            }
        }

        return false;
    }
}
