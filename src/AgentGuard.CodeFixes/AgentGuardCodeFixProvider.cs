using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AgentGuard.CodeFixes;

/// <summary>
/// Base of every AgentGuard code fix: the diagnostics it fixes are given once, to the constructor, and every fix
/// takes part in Fix All (document, project, solution) through the batch fixer — each fix edits only the span of its
/// own diagnostic, so their edits never overlap.
/// </summary>
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
}
