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
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var properties = diagnostic.Properties;
        var fix = properties[OutputCapProperties.Fix];
        var capMember = properties[OutputCapProperties.CapMember]!;
        var cap = properties[OutputCapProperties.MaxOutputTokens]!;
        properties.TryGetValue(OutputCapProperties.OptionsType, out var optionsType);

        SyntaxNode? oldNode = null;
        SyntaxNode? newNode = null;
        switch (fix)
        {
            case OutputCapProperties.FixAddArgument:
            case OutputCapProperties.FixUseOptionsOverload:
                if (optionsType is not null
                    && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is { } located
                    && located.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation)
                {
                    oldNode = invocation.ArgumentList;
                    newNode = fix == OutputCapProperties.FixAddArgument
                        ? AddOptionsArgument(invocation.ArgumentList, NewOptions(optionsType, capMember, cap), properties)
                        : UseOptionsOverload(invocation.ArgumentList, NewOptions(optionsType, capMember, cap), properties);
                }

                break;

            case OutputCapProperties.FixReplaceWithNew:
                if (optionsType is not null && FindTarget(root, diagnostic) is ExpressionSyntax nullValue)
                {
                    oldNode = nullValue;
                    newNode = NewOptions(optionsType, capMember, cap).WithTriviaFrom(nullValue);
                }

                break;

            case OutputCapProperties.FixAddToInitializer:
                if (FindTarget(root, diagnostic) is BaseObjectCreationExpressionSyntax creation)
                {
                    oldNode = creation;
                    newNode = AddToInitializer(creation, capMember, cap);
                }

                break;
        }

        return oldNode is null || newNode is null
            ? document
            : document.WithSyntaxRoot(root.ReplaceNode(oldNode, newNode));
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

    private static ExpressionSyntax NewOptions(string optionsType, string capMember, string cap)
    {
        var type = SyntaxFactory.ParseTypeName("global::" + optionsType)
            .WithAdditionalAnnotations(Simplifier.Annotation);
        return SyntaxFactory.ObjectCreationExpression(
                SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                type.WithTrailingTrivia(SyntaxFactory.Space),
                argumentList: null,
                SyntaxFactory.InitializerExpression(
                    SyntaxKind.ObjectInitializerExpression,
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(CapAssignment(capMember, cap)),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space)));
    }

    private static AssignmentExpressionSyntax CapAssignment(string capMember, string cap)
        => SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName(capMember).WithTrailingTrivia(SyntaxFactory.Space),
            SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
            SyntaxFactory.LiteralExpression(
                SyntaxKind.NumericLiteralExpression,
                SyntaxFactory.Literal(int.Parse(cap, NumberStyles.Integer, CultureInfo.InvariantCulture))));

    private static ArgumentListSyntax AddOptionsArgument(ArgumentListSyntax list, ExpressionSyntax options, ImmutableDictionary<string, string?> properties)
    {
        properties.TryGetValue(OutputCapProperties.Positional, out var positional);
        properties.TryGetValue(OutputCapProperties.ParameterName, out var parameterName);
        var argument = SyntaxFactory.Argument(options);
        if (positional != "true" && !string.IsNullOrEmpty(parameterName))
        {
            argument = argument.WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(parameterName!)).WithTrailingTrivia(SyntaxFactory.Space));
        }

        return Append(list, argument);
    }

    private static ArgumentListSyntax UseOptionsOverload(ArgumentListSyntax list, ExpressionSyntax options, ImmutableDictionary<string, string?> properties)
    {
        var arguments = list.Arguments;
        if (!properties.TryGetValue(OutputCapProperties.Expanded, out var expanded) || expanded != "true")
        {
            // CompleteChat(messagesArray): the array already fits the IEnumerable<ChatMessage> overload.
            return Append(list, SyntaxFactory.Argument(options));
        }

        if (arguments.Count == 0 || !properties.TryGetValue(OutputCapProperties.MessageType, out var messageType) || messageType is null)
        {
            return list;
        }

        // CompleteChat(a, b): wrap the expanded messages in an array, keeping each message's own trivia.
        var elements = new List<ExpressionSyntax>(arguments.Count);
        foreach (var argument in arguments)
        {
            elements.Add(argument.Expression);
        }

        var elementType = SyntaxFactory.ParseTypeName("global::" + messageType)
            .WithAdditionalAnnotations(Simplifier.Annotation);
        var array = SyntaxFactory.ArrayCreationExpression(
                SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.ArrayType(elementType, SyntaxFactory.SingletonList(SyntaxFactory.ArrayRankSpecifier(
                    SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.OmittedArraySizeExpression())))).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.InitializerExpression(
                    SyntaxKind.ArrayInitializerExpression,
                    SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                    SyntaxFactory.SeparatedList(elements, arguments.GetSeparators()),
                    SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space)));

        var wrapped = list.WithArguments(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(array)));
        return Append(wrapped, SyntaxFactory.Argument(options));
    }

    private static ArgumentListSyntax Append(ArgumentListSyntax list, ArgumentSyntax argument)
    {
        var arguments = list.Arguments;
        if (arguments.Count == 0)
        {
            return list.WithArguments(SyntaxFactory.SingletonSeparatedList(argument));
        }

        var nodes = new List<ArgumentSyntax>(arguments.Count + 1);
        var separators = new List<SyntaxToken>(arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            nodes.Add(arguments[i]);
            if (i < arguments.SeparatorCount)
            {
                separators.Add(arguments.GetSeparator(i));
            }
        }

        // The last argument's trailing trivia (a line break before ')') moves after the new argument.
        var last = nodes[nodes.Count - 1];
        var trailing = last.GetTrailingTrivia();
        nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
        separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
        nodes.Add(argument.WithTrailingTrivia(trailing));
        return list.WithArguments(SyntaxFactory.SeparatedList(nodes, separators));
    }

    private static BaseObjectCreationExpressionSyntax AddToInitializer(BaseObjectCreationExpressionSyntax creation, string capMember, string cap)
    {
        var assignment = CapAssignment(capMember, cap);
        if (creation.Initializer is not { Expressions.Count: > 0 } initializer)
        {
            // new ChatOptions() / new() / new ChatOptions { }: give it a one-line initializer.
            var newInitializer = SyntaxFactory.InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(assignment),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space));
            var trailing = creation.GetTrailingTrivia();
            var bare = creation.WithoutTrailingTrivia();
            if (bare is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null } explicitCreation)
            {
                // new ChatOptions() → new ChatOptions { … }
                bare = explicitCreation.WithArgumentList(null).WithType(explicitCreation.Type.WithTrailingTrivia(SyntaxFactory.Space));
            }
            else if (bare.Initializer is null)
            {
                bare = bare.WithTrailingTrivia(SyntaxFactory.Space);
            }
            else
            {
                newInitializer = newInitializer.WithTriviaFrom(bare.Initializer);
            }

            return bare.WithInitializer(newInitializer).WithTrailingTrivia(trailing);
        }

        var expressions = initializer.Expressions;
        var nodes = new List<ExpressionSyntax>(expressions.Count + 1);
        var separators = new List<SyntaxToken>(expressions.Count + 1);
        for (var i = 0; i < expressions.Count; i++)
        {
            nodes.Add(expressions[i]);
            if (i < expressions.SeparatorCount)
            {
                separators.Add(expressions.GetSeparator(i));
            }
        }

        var last = nodes[nodes.Count - 1];
        var indentation = last.GetLeadingTrivia();
        if (expressions.SeparatorCount == expressions.Count)
        {
            // Trailing comma: "A = 1,⏎" → "A = 1,⏎    MaxOutputTokens = n,⏎".
            var lastSeparator = separators[separators.Count - 1];
            nodes.Add(assignment.WithLeadingTrivia(indentation));
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastSeparator.TrailingTrivia));
        }
        else
        {
            // "A = 1⏎" → "A = 1,⏎    MaxOutputTokens = n⏎" (or "A = 1, MaxOutputTokens = n " on one line).
            var trailing = last.GetTrailingTrivia();
            nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
            separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(IsMultiLine(trailing) ? trailing : SyntaxFactory.TriviaList(SyntaxFactory.Space)));
            nodes.Add(assignment.WithLeadingTrivia(IsMultiLine(trailing) ? indentation : default).WithTrailingTrivia(IsMultiLine(trailing) ? trailing : SyntaxFactory.TriviaList(SyntaxFactory.Space)));
            if (!IsMultiLine(trailing) && trailing.Count == 0)
            {
                nodes[nodes.Count - 1] = nodes[nodes.Count - 1].WithoutTrailingTrivia();
            }
        }

        return creation.WithInitializer(initializer.WithExpressions(SyntaxFactory.SeparatedList(nodes, separators)));
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
