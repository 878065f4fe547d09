using System.Collections.Generic;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
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

    private static Task<Document> RemoveCachingAsync(Document document, AttributeSyntax attribute, CancellationToken cancellationToken)
        => EditAsync(
            document,
            editor =>
            {
                if (attribute.ArgumentList is not { } list)
                {
                    return;
                }

                var removed = new List<AttributeArgumentSyntax>(2);
                foreach (var argument in list.Arguments)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText is "Cacheable" or "CacheTtlSeconds")
                    {
                        removed.Add(argument);
                    }
                }

                if (removed.Count == list.Arguments.Count)
                {
                    // [AgentTool(Cacheable = true)] → [AgentTool]
                    editor.RemoveNode(list, SyntaxRemoveOptions.KeepNoTrivia);
                    return;
                }

                // Each argument goes with the comma beside it and that comma's space.
                foreach (var argument in removed)
                {
                    editor.RemoveNode(argument, SyntaxRemoveOptions.KeepNoTrivia);
                }
            },
            cancellationToken);
}
