using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Cli.Audit;

/// <summary>
/// Applies AgentGuard's code fixes to a project, one rule at a time with Fix All over the project (the first fix each
/// rule offers, as an IDE's Fix All does), re-analyzing between rules, and writes the changed files.
/// </summary>
internal static class FixApplier
{
    public static async Task<IReadOnlyList<FileChange>> ApplyAsync(LoadedProject loaded, IReadOnlySet<string>? rules, CancellationToken cancellationToken)
    {
        var original = loaded.Project;
        var project = original;
        var rulesByDocument = new Dictionary<DocumentId, SortedSet<string>>();
        foreach (var provider in AgentGuardComponents.CodeFixes)
        {
            foreach (var ruleId in provider.FixableDiagnosticIds)
            {
                if (rules is not null && !rules.Contains(ruleId))
                {
                    continue;
                }

                var diagnostics = await DiagnosticsAsync(project, ruleId, cancellationToken).ConfigureAwait(false);
                if (diagnostics.IsEmpty || provider.GetFixAllProvider() is not { } fixAll)
                {
                    continue;
                }

                var first = diagnostics[0];
                var document = project.GetDocument(first.Location.SourceTree);
                if (document is null || await FirstActionAsync(provider, document, first, cancellationToken).ConfigureAwait(false) is not { } action)
                {
                    continue;
                }

                var context = new FixAllContext(document, provider, FixAllScope.Project, action.EquivalenceKey, [ruleId], new Provider(diagnostics), cancellationToken);
                if (await fixAll.GetFixAsync(context).ConfigureAwait(false) is not { } fix)
                {
                    continue;
                }

                foreach (var operation in await fix.GetOperationsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (operation is ApplyChangesOperation apply && apply.ChangedSolution.GetProject(project.Id) is { } changed)
                    {
                        foreach (var documentId in changed.GetChanges(project).GetChangedDocuments())
                        {
                            (rulesByDocument.TryGetValue(documentId, out var set) ? set : rulesByDocument[documentId] = new SortedSet<string>(StringComparer.Ordinal)).Add(ruleId);
                        }

                        project = changed;
                    }
                }
            }
        }

        var changes = new List<FileChange>();
        foreach (var (documentId, fixedRules) in rulesByDocument.OrderBy(p => project.GetDocument(p.Key)?.FilePath, StringComparer.Ordinal))
        {
            var before = original.GetDocument(documentId);
            var after = project.GetDocument(documentId);
            if (before?.FilePath is not { } path || after is null)
            {
                continue;
            }

            var oldText = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var newText = await after.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (oldText.ContentEquals(newText))
            {
                continue;
            }

            var (added, removed) = LineDiff(oldText, newText);
            await File.WriteAllTextAsync(path, newText.ToString(), oldText.Encoding ?? new System.Text.UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            changes.Add(new FileChange(path, added, removed, fixedRules.ToArray()));
        }

        return changes;
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, string ruleId, CancellationToken cancellationToken)
    {
        // The same compilation the audit analyzed, generated agents included, so the fixes see what the findings saw.
        var compilation = await AuditEngine.CompileWithAgentsAsync(project, cancellationToken).ConfigureAwait(false);
        var analyzers = AgentGuardComponents.Analyzers.Where(a => a.SupportedDiagnostics.Any(d => d.Id == ruleId)).ToImmutableArray();
        var all = await compilation.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return all.Where(d => d.Id == ruleId && d.Location.IsInSource && project.GetDocument(d.Location.SourceTree) is not null
            && !d.IsSuppressed && d.Severity != DiagnosticSeverity.Hidden).ToImmutableArray();
    }

    private static async Task<CodeAction?> FirstActionAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        CodeAction? first = null;
        var context = new CodeFixContext(document, diagnostic, (action, _) => first ??= action, cancellationToken);
        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return first;
    }

    // Lines only in the old text (removed) and only in the new (added), counted as multisets: a summary, not a patch.
    private static (int Added, int Removed) LineDiff(SourceText before, SourceText after)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in before.Lines)
        {
            var text = line.ToString();
            counts[text] = counts.GetValueOrDefault(text) + 1;
        }

        var added = 0;
        foreach (var line in after.Lines)
        {
            var text = line.ToString();
            if (counts.GetValueOrDefault(text) > 0)
            {
                counts[text]--;
            }
            else
            {
                added++;
            }
        }

        return (added, counts.Values.Sum());
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
