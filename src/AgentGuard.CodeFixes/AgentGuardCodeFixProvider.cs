using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.CodeFixes;

/// <summary>
/// Base of every AgentGuard code fix: the diagnostics it fixes are given once, to the constructor, and every fix
/// takes part in Fix All (document, project, solution) through the batch fixer — each fix edits only the span of its
/// own diagnostic, so their edits never overlap.
/// </summary>
/// <remarks>
/// The base reads the document's syntax root once and hands each diagnostic, with the node at its location, to
/// <see cref="RegisterCodeFixAsync"/>. Fixes edit through <see cref="EditAsync"/> — a <see cref="DocumentEditor"/>
/// whose nodes get their whitespace from the user's code or, where annotated with <c>Formatter.Annotation</c>,
/// from the formatter.
/// </remarks>
public abstract class AgentGuardCodeFixProvider : CodeFixProvider
{
    /// <summary>Creates the provider for <paramref name="diagnosticIds"/>.</summary>
    protected AgentGuardCodeFixProvider(params string[] diagnosticIds)
    {
        FixableDiagnosticIds = ImmutableArray.Create(diagnosticIds);
    }

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            await RegisterCodeFixAsync(context, diagnostic, root, node).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Registers the fixes of one <paramref name="diagnostic"/>, or none when the code around it cannot be fixed.
    /// </summary>
    /// <param name="context">The context to register the fixes with.</param>
    /// <param name="diagnostic">The diagnostic to fix.</param>
    /// <param name="root">The syntax root of <c>context.Document</c>.</param>
    /// <param name="node">The innermost node at the diagnostic's location.</param>
    protected abstract Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node);

    /// <summary>
    /// The node that spans exactly <paramref name="span"/> (an additional location of a diagnostic), or
    /// <see langword="null"/>: the innermost node there, or the first of its ancestors with that span.
    /// </summary>
    protected static SyntaxNode? FindNodeWithSpan(SyntaxNode root, TextSpan span)
    {
        SyntaxNode? node = root.FindNode(span, getInnermostNodeForTie: true);
        while (node is not null && node.Span != span)
        {
            node = node.Parent;
        }

        return node;
    }

    /// <summary>Applies <paramref name="edit"/> to <paramref name="document"/> through a <see cref="DocumentEditor"/>.</summary>
    protected static async Task<Document> EditAsync(Document document, System.Action<DocumentEditor> edit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        edit(editor);
        return editor.GetChangedDocument();
    }
}
