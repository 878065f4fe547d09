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
/// AG0002 rewrites that reshape a call rather than add a member: an OpenAI Responses shortcut moved to its options
/// overload, and the client of an Agent Framework agent wrapped in a capping pipeline.
/// </summary>
public sealed partial class MissingOutputTokenCapCodeFixProvider
{
    /// <summary>
    /// <c>(model, input, previousResponseId, cancellationToken)</c> →
    /// <c>(new CreateResponseOptions(model, items) { MaxOutputTokenCount = n, PreviousResponseId = … }, cancellationToken)</c>.
    /// </summary>
    private static ArgumentListSyntax? ResponseOptionsArguments(
        ArgumentListSyntax list,
        string optionsType,
        string capMember,
        int cap,
        ImmutableDictionary<string, string?> properties)
    {
        // Positional order of the model-first overloads: model, input, previousResponseId, cancellationToken.
        var slots = new ExpressionSyntax?[4];
        var position = 0;
        foreach (var argument in list.Arguments)
        {
            var slot = argument.NameColon?.Name.Identifier.ValueText switch
            {
                null => position,
                "model" => 0,
                "inputItems" or "userInputText" => 1,
                "previousResponseId" => 2,
                "cancellationToken" => 3,
                _ => -1,
            };

            if (slot < 0 || slot >= slots.Length)
            {
                return null;
            }

            slots[slot] = argument.Expression.WithoutTrivia();
            position++;
        }

        if (slots[0] is not { } model || slots[1] is not { } input)
        {
            return null;
        }

        var inputIsText = properties.TryGetValue(OutputCapProperties.InputIsText, out var text) && text == "true";
        var items = input;
        if (inputIsText)
        {
            var array = SyntaxFactory.ParseExpression("new global::OpenAI.Responses.ResponseItem[] { global::OpenAI.Responses.ResponseItem.CreateUserMessageItem(__input) }");
            array = array.ReplaceNode(FindIdentifier(array, "__input")!, input);

            // Every name written in full is marked for the simplifier (and a using directive where needed).
            var qualified = new List<SyntaxNode>();
            foreach (var node in array.DescendantNodes())
            {
                if (node is QualifiedNameSyntax { Parent: not QualifiedNameSyntax } or MemberAccessExpressionSyntax { Parent: not MemberAccessExpressionSyntax, Expression: QualifiedNameSyntax or AliasQualifiedNameSyntax or MemberAccessExpressionSyntax })
                {
                    qualified.Add(node);
                }
            }

            items = array.ReplaceNodes(qualified, (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation));
        }

        var initializers = new List<ExpressionSyntax> { CapAssignment(capMember, cap) };
        if (slots[2] is { } previous && !previous.IsKind(SyntaxKind.NullLiteralExpression))
        {
            initializers.Add(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("PreviousResponseId"), previous));
        }

        var options = SyntaxFactory.ObjectCreationExpression(SyntaxFactory.ParseTypeName("global::" + optionsType).WithAdditionalAnnotations(Simplifier.Annotation, ImportAnnotation))
            .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(model), SyntaxFactory.Argument(items) })))
            .WithInitializer(SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SeparatedList(initializers)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(options) };
        if (slots[3] is { } cancellation)
        {
            arguments.Add(SyntaxFactory.Argument(cancellation));
        }

        return list.WithArguments(SyntaxFactory.SeparatedList(arguments)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary><c>client</c> → <c>client.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens ??= n).Build()</c>.</summary>
    private static ExpressionSyntax CappedClient(ExpressionSyntax client, string capMember, int cap, SemanticModel? model)
        => ClientPipelineSyntax.Wrap(client, CappedClientText(string.Empty, capMember, cap, model, client.SpanStart));

    private static string CappedClientText(string client, string capMember, int cap, SemanticModel? model, int position)
    {
        // A lambda parameter must not shadow a local or parameter in scope.
        var name = UnusedName(model, position, "options");
        return $"{client}.AsBuilder().ConfigureOptions({name} => {name}.{capMember} ??= {cap.ToString(CultureInfo.InvariantCulture)}).Build()";
    }

    private static string UnusedName(SemanticModel? model, int position, string name)
    {
        var candidate = name;
        for (var i = 1; model is not null && !model.LookupSymbols(position, name: candidate).IsEmpty; i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static IdentifierNameSyntax? FindIdentifier(SyntaxNode root, string name)
    {
        foreach (var node in root.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
            {
                return identifier;
            }
        }

        return null;
    }

    private static bool HasUsing(CompilationUnitSyntax unit, string ns)
    {
        foreach (var usingDirective in unit.Usings)
        {
            if (usingDirective.Alias is null && usingDirective.StaticKeyword.IsKind(SyntaxKind.None) && usingDirective.Name?.ToString() == ns)
            {
                return true;
            }
        }

        foreach (var member in unit.Members)
        {
            if (member is BaseNamespaceDeclarationSyntax)
            {
                // A using inside a namespace, or a namespace named like it: the simplifier resolves names there.
                return member.DescendantNodes().OfType<UsingDirectiveSyntax>().Any(u => u.Name?.ToString() == ns);
            }
        }

        return false;
    }
}
