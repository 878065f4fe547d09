using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.Pipelines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace AgentGuard.CodeFixes.Pipelines;

/// <summary>
/// AG0007: moves <c>.UseAgentGuard(…)</c>, with its arguments, to right after the last
/// <c>UseFunctionInvocation(…)</c> — in the same chain or in a later statement on the same builder. A chain laid
/// out one call per line keeps that layout; a statement left with nothing but the builder is removed.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveGuardInsideFunctionInvocationCodeFixProvider)), Shared]
public sealed class MoveGuardInsideFunctionInvocationCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_MoveGuardInside = "AG0007_MoveGuardInsideFunctionInvocation";

    /// <summary>Creates the provider.</summary>
    public MoveGuardInsideFunctionInvocationCodeFixProvider()
        : base(DiagnosticIds.GuardOutsideFunctionInvocation)
    {
    }

    protected override Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (diagnostic.Properties.ContainsKey(GuardOutsideFunctionInvocationAnalyzer.MovableProperty)
            && FindCalls(root, diagnostic) is not null)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Move UseAgentGuard inside the function invocation",
                    ct => ApplyAsync(context.Document, diagnostic, ct),
                    Key_MoveGuardInside),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Document> ApplyAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (FindCalls(editor.OriginalRoot, diagnostic) is not var (guard, toolLoop))
        {
            return document;
        }

        // The guard never contains the tool loop (FindCalls); the tool loop may contain the guard, so the guard is
        // taken out first and the tool loop rewritten from its edited form.
        var access = (MemberAccessExpressionSyntax)guard.Expression;
        var receiver = access.Expression;
        var guardTrailing = guard.GetTrailingTrivia();
        var toolLoopTrailing = toolLoop.GetTrailingTrivia();

        // One call per line: the guard's dot starts its line.
        var ownLine = HasEndOfLine(receiver.GetTrailingTrivia());

        // Take it out where it was.
        if (guard.Parent is ExpressionStatementSyntax statement && !CanStandAlone(receiver))
        {
            // builder.UseAgentGuard(…); → nothing left to say.
            editor.RemoveNode(statement, SyntaxRemoveOptions.KeepUnbalancedDirectives);
        }
        else
        {
            editor.ReplaceNode(guard, ownLine ? receiver : receiver.WithTrailingTrivia(receiver.GetTrailingTrivia().AddRange(guardTrailing)));
        }

        // Insert it after the tool loop, in the chain's layout.
        SyntaxToken dot;
        SyntaxTriviaList movedTrailing;
        System.Func<ExpressionSyntax, ExpressionSyntax> receiverOfMoved;
        if (!ownLine)
        {
            receiverOfMoved = current => current.WithoutTrailingTrivia();
            dot = access.OperatorToken.WithLeadingTrivia();
            movedTrailing = toolLoopTrailing;
        }
        else if (HasEndOfLine(toolLoopTrailing))
        {
            // …UseFunctionInvocation()⏎ .Build(): the guard gets its own line before the next call.
            receiverOfMoved = current => current;
            dot = access.OperatorToken;
            movedTrailing = HasEndOfLine(guardTrailing) ? guardTrailing : toolLoopTrailing;
        }
        else
        {
            // …UseFunctionInvocation(); — the guard becomes the last line of the chain.
            var lineBreak = HasEndOfLine(guardTrailing) ? guardTrailing : receiver.GetTrailingTrivia();
            receiverOfMoved = current => current.WithTrailingTrivia(lineBreak);
            dot = access.OperatorToken;
            movedTrailing = toolLoopTrailing;
        }

        editor.ReplaceNode(
            toolLoop,
            (current, _) => SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiverOfMoved((ExpressionSyntax)current), dot, access.Name),
                    guard.ArgumentList.WithoutTrailingTrivia())
                .WithTrailingTrivia(movedTrailing));
        return editor.GetChangedDocument();
    }

    /// <summary>The guard call and the tool-loop call of a diagnostic, when the fix can move one after the other.</summary>
    private static (InvocationExpressionSyntax Guard, InvocationExpressionSyntax ToolLoop)? FindCalls(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var span = diagnostic.Location.SourceSpan;
        if (root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not
            { Expression: MemberAccessExpressionSyntax access } guard
            || access.Name.SpanStart != span.Start)
        {
            return null;
        }

        var toolLoopSpan = diagnostic.AdditionalLocations[0].SourceSpan;
        SyntaxNode? node = root.FindNode(toolLoopSpan, getInnermostNodeForTie: true);
        while (node is not null && !(node is InvocationExpressionSyntax && node.Span == toolLoopSpan))
        {
            node = node.Parent;
        }

        if (node is not InvocationExpressionSyntax toolLoop || guard.Span.Contains(toolLoop.Span))
        {
            return null;
        }

        return (guard, toolLoop);
    }

    /// <summary>Whether an expression is still a statement on its own (<c>new ChatClientBuilder(inner);</c>, a call).</summary>
    private static bool CanStandAlone(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax;

    private static bool HasEndOfLine(SyntaxTriviaList trivia)
    {
        foreach (var item in trivia)
        {
            if (item.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return true;
            }
        }

        return false;
    }
}
