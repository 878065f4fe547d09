using System.Composition;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.Prompts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>
/// AG0003: puts the stable part of a prompt first, keeping every piece of text and every value. One fix per shape
/// of the diagnostic, chosen by the analyzer's <c>Fix</c> property: reorder the lines (or sentences) of an
/// interpolated string, concatenation, <c>string.Format</c> call or Semantic Kernel template; reorder the appends
/// of a <c>StringBuilder</c>; move constant messages or system blocks first; insert after the stable prefix of a
/// history; order a tool list by name.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VariablePromptPrefixCodeFixProvider)), Shared]
public sealed partial class VariablePromptPrefixCodeFixProvider : AgentGuardCodeFixProvider
{
    /// <summary>Equivalence key of the fix that moves the variable lines or sentences of a prompt last.</summary>
    public const string Key_MoveVariablePartsLast = "AG0003_MoveVariablePartsLast";

    /// <summary>Equivalence key of the fix that moves the appends with variable text of a <c>StringBuilder</c> last.</summary>
    public const string Key_MoveVariableAppendsLast = "AG0003_MoveVariableAppendsLast";

    /// <summary>Equivalence key of the fix that moves constant messages or system blocks first.</summary>
    public const string Key_MoveStableMessagesFirst = "AG0003_MoveStableMessagesFirst";

    /// <summary>Equivalence key of the fix that inserts after the stable prefix of a history instead of at index 0.</summary>
    public const string Key_InsertAfterStablePrefix = "AG0003_InsertAfterStablePrefix";

    /// <summary>Equivalence key of the fix that orders a tool list by name.</summary>
    public const string Key_OrderToolsByName = "AG0003_OrderToolsByName";

    /// <summary>Creates the provider.</summary>
    public VariablePromptPrefixCodeFixProvider()
        : base(DiagnosticIds.VariableContentBeforeCacheablePrefix)
    {
    }

    /// <inheritdoc/>
    protected override async Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (!diagnostic.Properties.TryGetValue(PromptFixProperties.Fix, out var fix) || fix is null)
        {
            return;
        }

        var document = context.Document;
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null)
        {
            return;
        }

        var target = diagnostic.AdditionalLocations.Count > 0 ? FindNodeWithSpan(root, diagnostic.AdditionalLocations[0].SourceSpan) : null;
        if (target is ArgumentSyntax argument)
        {
            target = argument.Expression;
        }

        switch (fix)
        {
            case PromptFixProperties.FixReorderText when target is ExpressionSyntax expression
                && Reorder(expression, model, template: false, context.CancellationToken) is { } replacement:
                Register(context, diagnostic, "Move the variable parts after the stable text", Key_MoveVariablePartsLast, expression, replacement);
                break;

            case PromptFixProperties.FixReorderTemplate when target is LiteralExpressionSyntax literal
                && Reorder(literal, model, template: true, context.CancellationToken) is { } replacement:
                Register(context, diagnostic, "Move the template's variable parts after the stable text", Key_MoveVariablePartsLast, literal, replacement);
                break;

            case PromptFixProperties.FixReorderAppends when target is VariableDeclaratorSyntax declarator
                && ReorderAppends(declarator, model, context.CancellationToken) is { } appends:
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Move the variable appends after the stable ones",
                        ct => EditAsync(document, editor => ReplaceAll(editor, appends.Original, appends.Reordered), ct),
                        Key_MoveVariableAppendsLast),
                    diagnostic);
                break;

            case PromptFixProperties.FixReorderElements when target is not null
                && diagnostic.Properties.TryGetValue(PromptFixProperties.StableElements, out var stable) && stable is not null
                && ReorderElements(target, stable) is { } elements:
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Put the constant messages first",
                        ct => EditAsync(document, editor => ReplaceAll(editor, elements.Original, elements.Reordered), ct),
                        Key_MoveStableMessagesFirst),
                    diagnostic);
                break;

            case PromptFixProperties.FixInsertAfterPrefix
                when diagnostic.Properties.TryGetValue(PromptFixProperties.Index, out var index) && index is not null
                && InsertIndex(node, model, context.CancellationToken) is { } zero
                && int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position):
                Register(context, diagnostic, "Insert after the stable prefix of the history", Key_InsertAfterStablePrefix, zero, IndexLiteral(position).WithTriviaFrom(zero));
                break;

            case PromptFixProperties.FixOrderTools
                when FindNodeWithSpan(root, diagnostic.Location.SourceSpan) is { } located
                && (located is ArgumentSyntax toolsArgument ? toolsArgument.Expression : located) is ExpressionSyntax tools
                && OrderTools(tools, model, context.CancellationToken) is { } ordered:
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Order the tools by name",
                        ct => EditAsync(document, editor => ApplyOrderTools(editor, tools, ordered), ct),
                        Key_OrderToolsByName),
                    diagnostic);
                break;
        }
    }

    private static void Register(CodeFixContext context, Diagnostic diagnostic, string title, string key, SyntaxNode original, SyntaxNode replacement)
    {
        var document = context.Document;
        context.RegisterCodeFix(
            CodeAction.Create(
                title,
                ct => EditAsync(document, editor => editor.ReplaceNode(original, replacement.WithTriviaFrom(original)), ct),
                key),
            diagnostic);
    }

    private static void ReplaceAll<TNode>(Microsoft.CodeAnalysis.Editing.DocumentEditor editor, System.Collections.Generic.List<TNode> original, System.Collections.Generic.List<TNode> reordered)
        where TNode : SyntaxNode
    {
        for (var i = 0; i < original.Count; i++)
        {
            if (original[i] != reordered[i])
            {
                editor.ReplaceNode(original[i], reordered[i]);
            }
        }
    }
}
