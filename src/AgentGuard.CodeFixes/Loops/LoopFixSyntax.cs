using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace AgentGuard.CodeFixes.Loops;

/// <summary>
/// Syntax helpers the loop fixes share (a fix never calls another fix): they insert statements with the user's own
/// indentation and line endings, pick names that clash with nothing in scope, place declarations in front of a
/// statement, combine conditions and replace a value by a limit.
/// </summary>
internal static class LoopFixSyntax
{
    /// <summary>The line ending the document uses.</summary>
    public static string EndOfLine(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return "\n";
    }

    /// <summary>The whitespace in front of the first token of <paramref name="node"/> on its line.</summary>
    public static string IndentationOf(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        if (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            return leading[leading.Count - 1].ToString();
        }

        return string.Empty;
    }

    /// <summary>The indentation of the statements of a block (or one level deeper than its brace).</summary>
    public static string StatementIndentation(BlockSyntax block)
    {
        if (block.Statements.Count > 0)
        {
            return IndentationOf(block.Statements[0]);
        }

        var brace = block.OpenBraceToken.LeadingTrivia;
        var braceIndent = brace.Count > 0 && brace[brace.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? brace[brace.Count - 1].ToString() : string.Empty;
        return braceIndent + "    ";
    }

    /// <summary>
    /// A name built from <paramref name="baseName"/> that nothing in the member declares or sees: the first loop of
    /// a member gets the plain name, later ones a number, so fixes applied together never clash.
    /// </summary>
    public static string UniqueName(SemanticModel model, SyntaxNode anchor, string baseName, int ordinal)
    {
        var member = anchor.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or CompilationUnitSyntax) ?? anchor;
        var used = new HashSet<string>();
        foreach (var token in member.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                used.Add(token.ValueText);
            }
        }

        for (var n = ordinal; ; n++)
        {
            var candidate = n == 0 ? baseName : baseName + (n + 1).ToString(CultureInfo.InvariantCulture);
            if (!used.Contains(candidate) && model.LookupSymbols(anchor.SpanStart, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }
    }

    /// <summary>Where a loop statement stands among the loop statements of its member, in document order.</summary>
    public static int LoopOrdinal(SyntaxNode loop)
    {
        var member = loop.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or CompilationUnitSyntax);
        if (member is null)
        {
            return 0;
        }

        var ordinal = 0;
        foreach (var node in member.DescendantNodes())
        {
            if (node == loop)
            {
                return ordinal;
            }

            if (IsLoop(node))
            {
                ordinal++;
            }
        }

        return ordinal;
    }

    /// <summary>Whether statements can be inserted in front of <paramref name="statement"/>.</summary>
    public static bool CanInsertBefore(StatementSyntax statement)
        => statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax { Parent: CompilationUnitSyntax };

    /// <summary>
    /// Inserts <paramref name="inserted"/> in front of <paramref name="statement"/>, each on its own line. The first
    /// inserted statement takes over the statement's leading trivia (comments, blank lines); the others, and the
    /// statement itself, get its indentation. The statement becomes <paramref name="replacement"/> when one is given;
    /// edits already made inside it are kept otherwise.
    /// </summary>
    public static void InsertBefore(DocumentEditor editor, StatementSyntax statement, IReadOnlyList<string> inserted, StatementSyntax? replacement = null)
    {
        var eol = EndOfLine(editor.OriginalRoot);
        var indent = SyntaxFactory.Whitespace(IndentationOf(statement));
        var newStatements = new List<SyntaxNode>(inserted.Count);
        for (var i = 0; i < inserted.Count; i++)
        {
            var parsed = SyntaxFactory.ParseStatement(inserted[i])
                .WithLeadingTrivia(i == 0 ? statement.GetLeadingTrivia() : SyntaxFactory.TriviaList(indent))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol));
            newStatements.Add(statement.Parent is GlobalStatementSyntax ? SyntaxFactory.GlobalStatement(parsed) : parsed);
        }

        editor.InsertBefore(statement.Parent is GlobalStatementSyntax global ? global : statement, newStatements);
        editor.ReplaceNode(statement, (current, _) => (replacement ?? current).WithLeadingTrivia(indent));
    }

    /// <summary>
    /// Parses a statement written over several lines (<c>\n</c>-separated) and lays it out with
    /// <paramref name="indent"/>, the indentation unit <paramref name="unit"/> and the document's line ending.
    /// </summary>
    public static StatementSyntax ParseIndented(string[] lines, string indent, string unit, string eol)
    {
        var text = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                text.Append(eol);
                continue;
            }

            var depth = 0;
            while (line.Length > depth && line[depth] == '\t')
            {
                depth++;
            }

            text.Append(indent);
            for (var i = 0; i < depth; i++)
            {
                text.Append(unit);
            }

            text.Append(line, depth, line.Length - depth).Append(eol);
        }

        return SyntaxFactory.ParseStatement(text.ToString());
    }

    /// <summary>The indentation unit: the difference between a block's statements and the statement holding it.</summary>
    public static string IndentUnit(string outer, string inner)
        => inner.Length > outer.Length && inner.StartsWith(outer, System.StringComparison.Ordinal) ? inner.Substring(outer.Length) : "    ";

    /// <summary>A <c>while</c>, <c>do</c> or <c>for</c> statement: a loop that ends on a condition.</summary>
    public static bool IsConditionLoop(SyntaxNode node)
        => node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax;

    /// <summary>Any loop statement, <c>foreach</c> included.</summary>
    public static bool IsLoop(SyntaxNode node)
        => IsConditionLoop(node) || node is CommonForEachStatementSyntax;

    /// <summary>The <c>while</c>, <c>do</c> or <c>for</c> statement at or around <paramref name="node"/> (a diagnostic on its keyword).</summary>
    public static StatementSyntax? EnclosingConditionLoop(SyntaxNode node)
        => node.FirstAncestorOrSelf<StatementSyntax>(s => IsConditionLoop(s));

    /// <summary><c>const int {name} = {value};</c>, the named limit a fix declares in front of the loop.</summary>
    public static string LimitDeclaration(string name, int value)
        => $"const int {name} = {value.ToString(CultureInfo.InvariantCulture)};";

    /// <summary>
    /// <c>existing &amp;&amp; added</c>, with <paramref name="existing"/> parenthesized where <c>&amp;&amp;</c> would otherwise
    /// bind into it (<c>a || b</c>, <c>a ?? b</c>, <c>c ? a : b</c>, an assignment). The formatter spaces the operator and
    /// <paramref name="added"/>; the existing condition keeps its layout, its outer trivia is left to the caller.
    /// </summary>
    public static BinaryExpressionSyntax AndAlso(ExpressionSyntax existing, ExpressionSyntax added)
    {
        var left = NeedsParenthesesBeforeAnd(existing)
            ? SyntaxFactory.ParenthesizedExpression(existing.WithoutTrivia())
            : existing.WithoutTrivia();
        return SyntaxFactory.BinaryExpression(
            SyntaxKind.LogicalAndExpression,
            left,
            SyntaxFactory.Token(SyntaxKind.AmpersandAmpersandToken).WithAdditionalAnnotations(Formatter.Annotation),
            added.WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static bool NeedsParenthesesBeforeAnd(ExpressionSyntax condition)
        => condition is AssignmentExpressionSyntax or ConditionalExpressionSyntax or LambdaExpressionSyntax
            || condition.IsKind(SyntaxKind.LogicalOrExpression)
            || condition.IsKind(SyntaxKind.CoalesceExpression);

    /// <summary>Replaces <paramref name="value"/> by the number <paramref name="limit"/>, keeping its trivia.</summary>
    public static async Task<Document> ReplaceWithNumberAsync(Document document, ExpressionSyntax value, int limit, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        editor.ReplaceNode(value, editor.Generator.LiteralExpression(limit).WithTriviaFrom(value));
        return editor.GetChangedDocument();
    }
}
