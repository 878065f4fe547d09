using System.Collections.Generic;
using System.Collections.Immutable;
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
public sealed class MissingOutputTokenCapCodeFixProvider : AgentGuardCodeFixProvider
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
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Set {capMember} = {cap}",
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

        switch (fix)
        {
            case OutputCapProperties.FixAddArgument:
            case OutputCapProperties.FixUseOptionsOverload:
                if (optionsType is not null
                    && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation)
                {
                    var options = NewOptions(generator, optionsType, capMember, cap);
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
                    editor.ReplaceNode(nullValue, NewOptions(generator, optionsType, capMember, cap).WithTriviaFrom(nullValue));
                }

                break;

            case OutputCapProperties.FixAddToInitializer:
                if (FindTarget(root, diagnostic) is BaseObjectCreationExpressionSyntax creation)
                {
                    editor.ReplaceNode(creation, AddToInitializer(creation, CapAssignment(generator, capMember, cap)));
                }

                break;
        }

        return editor.GetChangedDocument();
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
        var type = SyntaxFactory.ParseTypeName("global::" + optionsType).WithAdditionalAnnotations(Simplifier.Annotation);
        return SyntaxFactory.ObjectCreationExpression(type)
            .WithInitializer(ObjectInitializer(CapAssignment(generator, capMember, cap)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static InitializerExpressionSyntax ObjectInitializer(ExpressionSyntax assignment)
        => SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(assignment));

    private static ExpressionSyntax CapAssignment(SyntaxGenerator generator, string capMember, int cap)
        => (ExpressionSyntax)generator.AssignmentStatement(generator.IdentifierName(capMember), generator.LiteralExpression(cap));

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

        var elementType = SyntaxFactory.ParseTypeName("global::" + messageType).WithAdditionalAnnotations(Simplifier.Annotation);
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
