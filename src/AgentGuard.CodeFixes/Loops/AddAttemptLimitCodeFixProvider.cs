using System.Collections.Generic;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.Infrastructure;
using AgentGuard.Analyzers.Loops;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentGuard.CodeFixes.Loops;

/// <summary>
/// AG0006: counts the attempts of a retry loop and lets the failure through once they are spent
/// (<c>catch (X) when (++attempt &lt; MaxAttempts)</c>), or gives a Polly retry strategy a finite attempt count.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddAttemptLimitCodeFixProvider)), Shared]
public sealed class AddAttemptLimitCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_AddAttemptLimit = "AG0006_AddAttemptLimit";
    public const string Key_SetMaxRetryAttempts = "AG0006_SetMaxRetryAttempts";

    /// <summary>Creates the provider.</summary>
    public AddAttemptLimitCodeFixProvider()
        : base(DiagnosticIds.UnboundedRetry)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        var kind = LoopDiagnosticProperties.GetKind(diagnostic);
        var limit = LoopDiagnosticProperties.GetLimit(diagnostic, EditorConfigOptions.DefaultMaxRetryAttempts);
        switch (kind)
        {
            case LoopDiagnosticProperties.KindLoop:
                var loop = LoopFixSyntax.EnclosingConditionLoop(node);
                if (loop is not null && LoopFixSyntax.CanInsertBefore(loop) && SwallowingCatches(loop).Count > 0)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Give up after {limit} attempts",
                            ct => AddAttemptLimitAsync(context.Document, loop, limit, ct),
                            Key_AddAttemptLimit),
                        diagnostic);
                }

                break;

            case LoopDiagnosticProperties.KindPollyMaxRetryAttempts:
                if (node is ExpressionSyntax value)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Set MaxRetryAttempts to {limit}",
                            ct => LoopFixSyntax.ReplaceWithNumberAsync(context.Document, value, limit, ct),
                            Key_SetMaxRetryAttempts),
                        diagnostic);
                }

                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>The catch clauses of the loop's own try statements that can fall through (or continue) and so go round again.</summary>
    private static List<CatchClauseSyntax> SwallowingCatches(StatementSyntax loop)
    {
        var result = new List<CatchClauseSyntax>();
        foreach (var node in loop.DescendantNodes(n => n == loop || !IsNestedScope(n)))
        {
            if (node is not CatchClauseSyntax catchClause || IsNestedScope(catchClause))
            {
                continue;
            }

            var statements = catchClause.Block.Statements;
            var last = statements.Count > 0 ? statements[statements.Count - 1] : null;
            var continues = false;
            foreach (var inner in catchClause.Block.DescendantNodes(n => !IsNestedScope(n)))
            {
                if (inner is ContinueStatementSyntax)
                {
                    continues = true;
                    break;
                }
            }

            if (continues || last is null || last is not (ThrowStatementSyntax or ReturnStatementSyntax or BreakStatementSyntax or GotoStatementSyntax))
            {
                result.Add(catchClause);
            }
        }

        return result;
    }

    private static bool IsNestedScope(SyntaxNode node)
        => LoopFixSyntax.IsLoop(node) || node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

    private static async Task<Document> AddAttemptLimitAsync(Document document, StatementSyntax loop, int limit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var ordinal = LoopFixSyntax.LoopOrdinal(loop);
        var limitName = LoopFixSyntax.UniqueName(model, loop, "MaxAttempts", ordinal);
        var counterName = LoopFixSyntax.UniqueName(model, loop, "attempt", ordinal);
        foreach (var catchClause in SwallowingCatches(loop))
        {
            editor.ReplaceNode(catchClause, (current, _) => CountAttempt((CatchClauseSyntax)current, counterName, limitName));
        }

        var declarations = new[]
        {
            LoopFixSyntax.LimitDeclaration(limitName, limit),
            $"var {counterName} = 0;",
        };
        LoopFixSyntax.InsertBefore(editor, loop, declarations);
        return editor.GetChangedDocument();
    }

    /// <summary><c>catch (X)</c> → <c>catch (X) when (++attempt &lt; MaxAttempts)</c>, or the counter joined to an existing filter.</summary>
    private static CatchClauseSyntax CountAttempt(CatchClauseSyntax original, string counterName, string limitName)
    {
        var count = SyntaxFactory.ParseExpression($"++{counterName} < {limitName}");
        if (original.Filter is { } filter)
        {
            return original.WithFilter(filter.WithFilterExpression(LoopFixSyntax.AndAlso(filter.FilterExpression, count)));
        }

        // `catch (X)` → `catch (X) when (++attempt < MaxAttempts)`; `catch` → `catch when (…)`: the formatter
        // spaces the new clause, which takes over the line break that followed the clause's head.
        var trailing = (original.Declaration is { } declaration ? declaration.CloseParenToken : original.CatchKeyword).TrailingTrivia;
        var updated = original.Declaration is { } decl
            ? original.WithDeclaration(decl.WithCloseParenToken(decl.CloseParenToken.WithTrailingTrivia()))
            : original.WithCatchKeyword(original.CatchKeyword.WithTrailingTrivia());
        return updated.WithFilter(SyntaxFactory.CatchFilterClause(count).WithTrailingTrivia(trailing).WithAdditionalAnnotations(Formatter.Annotation));
    }
}
