using System.Collections.Generic;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.CodeFixes.Tools;

/// <summary>
/// AG0004: stops caching a side-effecting tool by removing <c>Cacheable = true</c> and the then meaningless
/// <c>CacheTtlSeconds</c> from its <c>[AgentTool]</c> attribute.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SideEffectingCacheableToolCodeFixProvider)), Shared]
public sealed class SideEffectingCacheableToolCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_RemoveCacheable = "AG0004_RemoveCacheable";

    /// <summary>Creates the provider.</summary>
    public SideEffectingCacheableToolCodeFixProvider()
        : base(DiagnosticIds.SideEffectingCacheableTool)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null, Parent.Parent: AttributeSyntax attribute })
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Remove Cacheable = true",
                    ct => RemoveCachingAsync(context.Document, attribute, ct),
                    Key_RemoveCacheable),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> RemoveCachingAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || attribute.ArgumentList is not { } list)
        {
            return document;
        }

        var kept = new List<AttributeArgumentSyntax>(list.Arguments.Count);
        var separators = new List<SyntaxToken>(list.Arguments.Count);
        for (var i = 0; i < list.Arguments.Count; i++)
        {
            var argument = list.Arguments[i];
            var name = argument.NameEquals?.Name.Identifier.ValueText;
            if (name is "Cacheable" or "CacheTtlSeconds")
            {
                continue;
            }

            if (kept.Count > 0)
            {
                separators.Add(i - 1 < list.Arguments.SeparatorCount
                    ? list.Arguments.GetSeparator(i - 1)
                    : SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            }

            kept.Add(argument);
        }

        AttributeSyntax fixedAttribute;
        if (kept.Count == 0)
        {
            // [AgentTool(Cacheable = true)] → [AgentTool]
            fixedAttribute = attribute.WithArgumentList(null).WithTrailingTrivia(list.GetTrailingTrivia());
        }
        else
        {
            kept[kept.Count - 1] = kept[kept.Count - 1].WithTrailingTrivia(list.Arguments[list.Arguments.Count - 1].GetTrailingTrivia());
            fixedAttribute = attribute.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(kept, separators)));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute));
    }
}
