using System;
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
/// AG0005: trims the history right before it is sent, keeping the leading system message(s) and the most recent
/// messages — with AgentGuard's <c>TrimToRecent</c> for Microsoft.Extensions.AI messages, inline for other lists.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TrimHistoryCodeFixProvider)), Shared]
public sealed class TrimHistoryCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_TrimHistory = "AG0005_TrimHistory";

    /// <summary>Creates the provider.</summary>
    public TrimHistoryCodeFixProvider()
        : base(DiagnosticIds.UnboundedHistory)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (LoopDiagnosticProperties.GetHistoryKind(diagnostic) is not { } kind || node is not ExpressionSyntax history)
        {
            return Task.CompletedTask;
        }

        var limit = LoopDiagnosticProperties.GetLimit(diagnostic, EditorConfigOptions.DefaultMaxHistoryMessages);
        if (kind == LoopDiagnosticProperties.HistoryAgentSession)
        {
            // The agent owns the history: cap what each request carries, on the client the agent is built on.
            if (diagnostic.AdditionalLocations.Count == 1
                && diagnostic.AdditionalLocations[0].SourceTree == root.SyntaxTree
                && root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is { } clientNode
                && (clientNode is ArgumentSyntax argument ? argument.Expression : clientNode) is ExpressionSyntax client)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Send the agent's model only the last {limit} messages",
                        ct => CapAgentHistoryAsync(context.Document, client, limit, ct),
                        Key_TrimHistory),
                    diagnostic);
            }

            return Task.CompletedTask;
        }

        var statement = InsertionPoint(history);
        var loop = statement?.Parent?.FirstAncestorOrSelf<StatementSyntax>(LoopFixSyntax.IsLoop);
        if (statement is not null && loop is not null && LoopFixSyntax.CanInsertBefore(loop))
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Keep the system message and the last {limit} messages",
                    ct => TrimAsync(context.Document, history, statement, loop, kind, limit, ct),
                    Key_TrimHistory),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    /// <summary>The statement of the loop body that sends the history; the trim goes right before it.</summary>
    private static StatementSyntax? InsertionPoint(SyntaxNode history)
    {
        for (var node = history.Parent; node is not null; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return null;
            }

            if (node is StatementSyntax statement && node.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                // A call in a loop's own condition has no place inside the loop to trim before it.
                return LoopFixSyntax.IsLoop(statement) && IsInHeader(statement, history) ? null : statement;
            }
        }

        return null;
    }

    private static bool IsInHeader(StatementSyntax loop, SyntaxNode node)
        => loop switch
        {
            WhileStatementSyntax w => w.Condition.Span.Contains(node.Span),
            DoStatementSyntax d => d.Condition.Span.Contains(node.Span),
            ForStatementSyntax f => !f.Statement.Span.Contains(node.Span),
            _ => false,
        };

    private static async Task<Document> TrimAsync(Document document, ExpressionSyntax history, StatementSyntax statement, StatementSyntax loop, string kind, int limit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        var model = editor.SemanticModel;

        var limitName = LoopFixSyntax.UniqueName(model, loop, "MaxHistoryMessages", LoopFixSyntax.LoopOrdinal(loop));
        var eol = LoopFixSyntax.EndOfLine(root);
        var indent = LoopFixSyntax.IndentationOf(statement);
        var unit = statement.Parent is BlockSyntax block ? LoopFixSyntax.IndentUnit(LoopFixSyntax.IndentationOf(block.Parent ?? block), indent) : "    ";
        var name = history.WithoutTrivia().ToString();

        var trim = TrimStatements(model, statement, kind, name, limitName, indent, unit, eol);

        // Keep the statement's own comments above the trim.
        trim[0] = trim[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        var statementLeading = kind == LoopDiagnosticProperties.HistoryChatMessageList
            ? SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indent))
            : SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(eol), SyntaxFactory.Whitespace(indent));
        editor.InsertBefore(statement, trim);
        editor.ReplaceNode(statement, (current, _) => current.WithLeadingTrivia(statementLeading));

        LoopFixSyntax.InsertBefore(editor, loop, new[] { LoopFixSyntax.LimitDeclaration(limitName, limit) });

        if (kind == LoopDiagnosticProperties.HistoryChatMessageList && root is CompilationUnitSyntax unitRoot && NeedsUsing(unitRoot, model, history))
        {
            AddUsing(editor, unitRoot, eol);
        }

        return editor.GetChangedDocument();
    }

    /// <summary><c>client</c> → <c>client.AsBuilder().UseRecentMessages(limit).Build()</c> where the agent is created.</summary>
    private static async Task<Document> CapAgentHistoryAsync(Document document, ExpressionSyntax client, int limit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var pipeline = ".AsBuilder().UseRecentMessages(" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + ").Build()";
        editor.ReplaceNode(client, ClientPipelineSyntax.Wrap(client, pipeline));
        if (editor.OriginalRoot is CompilationUnitSyntax unitRoot && NeedsUsing(unitRoot, editor.SemanticModel, client))
        {
            AddUsing(editor, unitRoot, LoopFixSyntax.EndOfLine(unitRoot));
        }

        // AsBuilder must bind to the chat client's, not to Agent Framework's AIAgent.AsBuilder.
        if (editor.OriginalRoot is CompilationUnitSyntax root && !Imports(root, "Microsoft.Extensions.AI"))
        {
            AddUsing(editor, root, LoopFixSyntax.EndOfLine(root), "Microsoft.Extensions.AI");
        }

        return editor.GetChangedDocument();
    }

    private static StatementSyntax[] TrimStatements(SemanticModel model, StatementSyntax statement, string kind, string name, string limitName, string indent, string unit, string eol)
    {
        if (kind == LoopDiagnosticProperties.HistoryChatMessageList)
        {
            return new[] { LoopFixSyntax.ParseIndented(new[] { $"{name}.TrimToRecent({limitName});" }, indent, unit, eol) };
        }

        string? isSystem = kind switch
        {
            LoopDiagnosticProperties.HistorySemanticKernel => ".Role == " + Bindable(model, statement, "AuthorRole", "Microsoft.SemanticKernel.ChatCompletion.AuthorRole") + ".System",
            LoopDiagnosticProperties.HistoryOpenAI => " is " + Bindable(model, statement, "SystemChatMessage", "OpenAI.Chat.SystemChatMessage"),
            _ => null,
        };

        string? isTool = kind switch
        {
            LoopDiagnosticProperties.HistorySemanticKernel => ".Role == " + Bindable(model, statement, "AuthorRole", "Microsoft.SemanticKernel.ChatCompletion.AuthorRole") + ".Tool",
            LoopDiagnosticProperties.HistoryOpenAI => " is " + Bindable(model, statement, "ToolChatMessage", "OpenAI.Chat.ToolChatMessage"),
            _ => null,
        };

        if (isSystem is null)
        {
            return new[]
            {
                LoopFixSyntax.ParseIndented(
                    new[]
                    {
                        $"while ({name}.Count > {limitName} + 1)",
                        "{",
                        "\t// Index 0 holds the system message; drop the oldest message after it.",
                        $"\t{name}.RemoveAt(1);",
                        "}",
                    },
                    indent,
                    unit,
                    eol),
            };
        }

        // Keep every leading system message, then the most recent messages.
        var leading = LoopFixSyntax.UniqueName(model, statement, "systemMessages", 0);
        return new[]
        {
            LoopFixSyntax.ParseIndented(new[] { $"var {leading} = 0;" }, indent, unit, eol),
            LoopFixSyntax.ParseIndented(
                new[]
                {
                    $"while ({leading} < {name}.Count && {name}[{leading}]{isSystem})",
                    "{",
                    $"\t{leading}++;",
                    "}",
                },
                indent,
                unit,
                eol),
            LoopFixSyntax.ParseIndented(
                new[]
                {
                    string.Empty,
                    $"while ({name}.Count - {leading} > {limitName})",
                    "{",
                    $"\t{name}.RemoveAt({leading});",
                    "}",
                },
                indent,
                unit,
                eol),
            LoopFixSyntax.ParseIndented(
                new[]
                {
                    string.Empty,
                    "// A tool result without the call that asked for it is rejected by the provider.",
                    $"while ({name}.Count > {leading} && {name}[{leading}]{isTool})",
                    "{",
                    $"\t{name}.RemoveAt({leading});",
                    "}",
                },
                indent,
                unit,
                eol),
        };
    }

    /// <summary>The short type name if it binds where the fix inserts code, else the fully qualified one.</summary>
    private static string Bindable(SemanticModel model, SyntaxNode at, string shortName, string fullName)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(at.SpanStart, name: shortName))
        {
            if (symbol is ITypeSymbol type && type.ToDisplayString() == fullName)
            {
                return shortName;
            }
        }

        return fullName;
    }

    private static bool NeedsUsing(CompilationUnitSyntax root, SemanticModel model, SyntaxNode history)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(history.SpanStart, name: "ChatHistoryExtensions"))
        {
            if (symbol.ContainingNamespace?.ToDisplayString() == "AgentGuard")
            {
                return false;
            }
        }

        foreach (var directive in root.Usings)
        {
            if (directive.Name?.ToString() == "AgentGuard" && directive.Alias is null && directive.StaticKeyword == default)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Imports(CompilationUnitSyntax root, string ns)
    {
        foreach (var directive in root.Usings)
        {
            if (directive.Name?.ToString() == ns && directive.Alias is null && directive.StaticKeyword == default)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds <c>using AgentGuard;</c> (or <paramref name="ns"/>) after the <c>System</c> usings, in alphabetical order among the others.</summary>
    private static void AddUsing(DocumentEditor editor, CompilationUnitSyntax root, string eol, string ns = "AgentGuard")
    {
        var directive = editor.Generator.NamespaceImportDeclaration(ns)
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var usings = root.Usings;
        if (usings.Count == 0)
        {
            editor.ReplaceNode(root, (current, _) => ((CompilationUnitSyntax)current).AddUsings((UsingDirectiveSyntax)directive));
            return;
        }

        var index = usings.Count;
        for (var i = 0; i < usings.Count; i++)
        {
            var name = usings[i].Name?.ToString() ?? string.Empty;
            if (usings[i].Alias is not null || usings[i].StaticKeyword != default)
            {
                index = i;
                break;
            }

            var isSystem = name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
            if (!isSystem && string.CompareOrdinal(name, ns) > 0)
            {
                index = i;
                break;
            }
        }

        if (index == usings.Count)
        {
            editor.InsertAfter(usings[usings.Count - 1], directive);
            return;
        }

        // The directive takes the place, and the leading trivia (a blank line, a comment), of the one it goes before.
        var next = usings[index];
        editor.InsertBefore(next, directive.WithLeadingTrivia(next.GetLeadingTrivia()));
        editor.ReplaceNode(next, (current, _) => current.WithLeadingTrivia());
    }
}
