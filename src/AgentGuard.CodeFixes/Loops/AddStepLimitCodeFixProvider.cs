using System.Linq;
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
/// AG0001: adds a step counter with a named limit to an unbounded agent loop, or lowers a function-invocation cap
/// to the configured ceiling.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddStepLimitCodeFixProvider)), Shared]
public sealed class AddStepLimitCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_AddStepLimit = "AG0001_AddStepLimit";
    public const string Key_CapIterations = "AG0001_CapIterations";

    /// <summary>Creates the provider.</summary>
    public AddStepLimitCodeFixProvider()
        : base(DiagnosticIds.UnboundedAgentLoop)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        var kind = LoopDiagnosticProperties.GetKind(diagnostic);
        var limit = LoopDiagnosticProperties.GetLimit(diagnostic, kind == LoopDiagnosticProperties.KindLoop ? EditorConfigOptions.DefaultMaxSteps : EditorConfigOptions.DefaultMaxIterations);
        switch (kind)
        {
            case LoopDiagnosticProperties.KindLoop:
                var loop = LoopFixSyntax.EnclosingConditionLoop(node);
                if (loop is not null && LoopFixSyntax.CanInsertBefore(loop))
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Stop the loop after {limit} steps",
                            ct => AddStepLimitAsync(context.Document, loop, limit, ct),
                            Key_AddStepLimit),
                        diagnostic);
                }

                break;

            case LoopDiagnosticProperties.KindFunctionInvocation:
                if (node is ExpressionSyntax value)
                {
                    var property = value.Parent is AssignmentExpressionSyntax { Left: { } left } ? left.InvokedName() : "MaximumIterationsPerRequest";
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Set {property} to {limit}",
                            ct => LoopFixSyntax.ReplaceWithNumberAsync(context.Document, value, limit, ct),
                            Key_CapIterations),
                        diagnostic);
                }

                break;

            case LoopDiagnosticProperties.KindToolRunner:
                var invocation = node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
                if (node is ExpressionSyntax argumentValue && node.Parent is ArgumentSyntax)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Set maxIterations to {limit}",
                            ct => LoopFixSyntax.ReplaceWithNumberAsync(context.Document, argumentValue, limit, ct),
                            Key_CapIterations),
                        diagnostic);
                }
                else if (invocation is not null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Set maxIterations to {limit}",
                            ct => AddMaxIterationsAsync(context.Document, invocation, limit, ct),
                            Key_CapIterations),
                        diagnostic);
                }

                break;
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> AddStepLimitAsync(Document document, StatementSyntax loop, int limit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        var model = editor.SemanticModel;
        var ordinal = LoopFixSyntax.LoopOrdinal(loop);
        var limitName = LoopFixSyntax.UniqueName(model, loop, "MaxSteps", ordinal);
        var counterName = LoopFixSyntax.UniqueName(model, loop, "steps", ordinal);
        var condition = loop switch
        {
            WhileStatementSyntax whileStatement => whileStatement.Condition,
            DoStatementSyntax doStatement => doStatement.Condition,
            ForStatementSyntax forStatement => forStatement.Condition,
            _ => null,
        };

        StatementSyntax newLoop;
        if (condition is not null && !condition.IsKind(SyntaxKind.TrueLiteralExpression))
        {
            // The loop already ends on a condition: count the steps there too.
            var guard = SyntaxFactory.ParseExpression($"{counterName}++ < {limitName}");
            var combined = LoopFixSyntax.AndAlso(condition, guard).WithTriviaFrom(condition);
            newLoop = loop.ReplaceNode(condition, combined);
        }
        else
        {
            // `while (true)`, `for (;;)`: the only ways out are the model's; stop with an exception that says why.
            var exception = model.LookupNamespacesAndTypes(loop.SpanStart, name: "InvalidOperationException").IsEmpty
                ? "System.InvalidOperationException"
                : "InvalidOperationException";
            var body = loop switch
            {
                WhileStatementSyntax whileStatement => whileStatement.Statement,
                DoStatementSyntax doStatement => doStatement.Statement,
                ForStatementSyntax forStatement => forStatement.Statement,
                _ => null,
            };
            if (body is null)
            {
                return document;
            }

            var eol = LoopFixSyntax.EndOfLine(root);
            var loopIndent = LoopFixSyntax.IndentationOf(loop);
            BlockSyntax block;
            string statementIndent;
            if (body is BlockSyntax existing)
            {
                block = existing;
                statementIndent = LoopFixSyntax.StatementIndentation(existing);
            }
            else
            {
                statementIndent = loopIndent + "    ";
                block = SyntaxFactory.Block(body.WithLeadingTrivia(SyntaxFactory.Whitespace(statementIndent)).WithTrailingTrivia(SyntaxFactory.EndOfLine(eol)))
                    .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Whitespace(loopIndent)).WithTrailingTrivia(SyntaxFactory.EndOfLine(eol)))
                    .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Whitespace(loopIndent)).WithTrailingTrivia(body.GetTrailingTrivia()));
            }

            var unit = LoopFixSyntax.IndentUnit(loopIndent, statementIndent);
            var guard = LoopFixSyntax.ParseIndented(
                new[]
                {
                    $"if (++{counterName} > {limitName})",
                    "{",
                    $"\tthrow new {exception}($\"The agent loop did not finish within {{{limitName}}} steps.\");",
                    "}",
                },
                statementIndent,
                unit,
                eol);

            var first = block.Statements.Count > 0 ? block.Statements[0] : null;
            if (first is not null)
            {
                // Keep a comment at the top of the body above the guard, and a blank line below the guard.
                var firstLeading = first.GetLeadingTrivia();
                if (firstLeading.Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)))
                {
                    guard = guard.WithLeadingTrivia(firstLeading);
                    firstLeading = SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(statementIndent));
                }

                block = block.ReplaceNode(first, first.WithLeadingTrivia(firstLeading.Insert(0, SyntaxFactory.EndOfLine(eol))));
            }

            block = block.WithStatements(block.Statements.Insert(0, guard));
            newLoop = loop switch
            {
                WhileStatementSyntax whileStatement => whileStatement.WithStatement(block),
                DoStatementSyntax doStatement => doStatement.WithStatement(block),
                ForStatementSyntax forStatement => forStatement.WithStatement(block),
                _ => loop,
            };

            if (body is not BlockSyntax)
            {
                // The embedded statement moved to its own line inside the new block.
                newLoop = newLoop switch
                {
                    WhileStatementSyntax w => w.WithCloseParenToken(w.CloseParenToken.WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))),
                    ForStatementSyntax f => f.WithCloseParenToken(f.CloseParenToken.WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))),
                    DoStatementSyntax d => d.WithDoKeyword(d.DoKeyword.WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))),
                    _ => newLoop,
                };
            }
        }

        var declarations = new[]
        {
            LoopFixSyntax.LimitDeclaration(limitName, limit),
            $"var {counterName} = 0;",
        };
        LoopFixSyntax.InsertBefore(editor, loop, declarations, newLoop);
        return editor.GetChangedDocument();
    }

    private static Task<Document> AddMaxIterationsAsync(Document document, InvocationExpressionSyntax invocation, int limit, CancellationToken cancellationToken)
        => EditAsync(
            document,
            editor =>
            {
                // ToolRunner(…) → ToolRunner(…, maxIterations: n): the formatter spaces the new argument.
                var argument = (ArgumentSyntax)editor.Generator.Argument("maxIterations", RefKind.None, editor.Generator.LiteralExpression(limit));
                editor.ReplaceNode(
                    invocation.ArgumentList,
                    (list, _) => ((ArgumentListSyntax)list).AddArguments(argument.WithAdditionalAnnotations(Formatter.Annotation)));
            },
            cancellationToken);
}
