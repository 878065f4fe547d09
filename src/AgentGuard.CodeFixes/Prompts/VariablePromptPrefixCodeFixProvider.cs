using System.Collections.Generic;
using System.Composition;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.Prompts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>
/// AG0003: moves the lines (or, in a one-line prompt, the sentences) that hold variable parts after the stable
/// ones, keeping every piece of text and every value. Works on interpolated strings and string concatenations;
/// the result is an interpolated string.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VariablePromptPrefixCodeFixProvider)), Shared]
public sealed class VariablePromptPrefixCodeFixProvider : AgentGuardCodeFixProvider
{
    public const string Key_MoveVariablePartsLast = "AG0003_MoveVariablePartsLast";

    /// <summary>Creates the provider.</summary>
    public VariablePromptPrefixCodeFixProvider()
        : base(DiagnosticIds.VariableContentBeforeCacheablePrefix)
    {
    }

    protected override async Task RegisterCodeFixAsync(CodeFixContext context, Diagnostic diagnostic, SyntaxNode root, SyntaxNode node)
    {
        if (!diagnostic.Properties.ContainsKey(VariablePromptPrefixAnalyzer.RewritableProperty) || diagnostic.AdditionalLocations.Count == 0)
        {
            return;
        }

        var prompt = FindNodeWithSpan(root, diagnostic.AdditionalLocations[0].SourceSpan);
        if (prompt is ArgumentSyntax argument)
        {
            prompt = argument.Expression;
        }

        var document = context.Document;
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (prompt is not ExpressionSyntax expression
            || model is null
            || Reorder(expression, model, context.CancellationToken) is not { } replacement)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                "Move the variable parts after the stable text",
                ct => EditAsync(document, editor => editor.ReplaceNode(expression, replacement.WithTriviaFrom(expression)), ct),
                Key_MoveVariablePartsLast),
            diagnostic);
    }

    /// <summary>The prompt with its variable lines or sentences last, or <see langword="null"/> when that changes nothing.</summary>
    private static ExpressionSyntax? Reorder(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        var pieces = new List<Piece>();
        if (!Collect(expression, model, pieces, cancellationToken))
        {
            return null;
        }

        var newlineMode = false;
        foreach (var piece in pieces)
        {
            if (piece.Kind == PieceKind.Text && piece.Text.IndexOf('\n') >= 0)
            {
                newlineMode = true;
                break;
            }
        }

        var chunks = Split(pieces, newlineMode);
        var stable = new List<List<Piece>>();
        var variable = new List<List<Piece>>();
        var movesSomething = false;
        foreach (var chunk in chunks)
        {
            if (IsVariable(chunk))
            {
                variable.Add(chunk);
            }
            else
            {
                stable.Add(chunk);
                movesSomething |= variable.Count > 0;
            }
        }

        if (!movesSomething)
        {
            return null;
        }

        var ordered = new List<List<Piece>>(chunks.Count);
        ordered.AddRange(stable);
        ordered.AddRange(variable);

        var separator = newlineMode ? '\n' : ' ';
        var endsWithSeparator = EndsWith(chunks[chunks.Count - 1], separator);
        var builder = new StringBuilder("$\"");
        for (var i = 0; i < ordered.Count; i++)
        {
            var chunk = ordered[i];
            var last = i == ordered.Count - 1;
            for (var j = 0; j < chunk.Count; j++)
            {
                var piece = chunk[j];
                if (piece.Kind != PieceKind.Text)
                {
                    builder.Append(piece.Text);
                    continue;
                }

                var text = piece.Text;
                if (last && j == chunk.Count - 1 && !endsWithSeparator && text.Length > 0 && text[text.Length - 1] == separator)
                {
                    // The chunk that used to be in the middle ends the prompt now: drop its separator.
                    text = text.Substring(0, text.Length - 1);
                }

                Escape(builder, text);
            }

            if (!last && !EndsWith(chunk, separator))
            {
                Escape(builder, separator.ToString());
            }
        }

        builder.Append('"');
        return SyntaxFactory.ParseExpression(builder.ToString());
    }

    private static bool Collect(ExpressionSyntax expression, SemanticModel model, List<Piece> pieces, CancellationToken cancellationToken)
    {
        switch (expression)
        {
            case InterpolatedStringExpressionSyntax interpolated:
                if (!interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedStringStartToken)
                    && !interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedVerbatimStringStartToken))
                {
                    // Raw strings keep their layout in source; rewriting them is left to the user.
                    return false;
                }

                foreach (var content in interpolated.Contents)
                {
                    switch (content)
                    {
                        case InterpolatedStringTextSyntax text:
                            pieces.Add(new Piece(PieceKind.Text, text.TextToken.ValueText));
                            break;
                        case InterpolationSyntax hole:
                            pieces.Add(new Piece(
                                IsStable(hole.Expression, model, cancellationToken) ? PieceKind.Stable : PieceKind.Variable,
                                "{" + HoleExpression(hole.Expression) + hole.AlignmentClause?.ToString() + hole.FormatClause?.ToString() + "}"));
                            break;
                    }
                }

                return true;

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression)
                && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String:
                return Collect(binary.Left, model, pieces, cancellationToken) && Collect(binary.Right, model, pieces, cancellationToken);

            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                if (literal.Token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || literal.Token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
                {
                    return false;
                }

                pieces.Add(new Piece(PieceKind.Text, literal.Token.ValueText));
                return true;

            default:
                pieces.Add(new Piece(
                    IsStable(expression, model, cancellationToken) ? PieceKind.Stable : PieceKind.Variable,
                    "{" + HoleExpression(expression) + "}"));
                return true;
        }
    }

    private static bool IsStable(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        => model.GetConstantValue(expression, cancellationToken).HasValue
            || model.GetSymbolInfo(expression, cancellationToken).Symbol is IFieldSymbol { IsConst: true } or IFieldSymbol { IsReadOnly: true };

    private static string HoleExpression(ExpressionSyntax expression)
    {
        var text = expression.WithoutTrivia().ToString();
        foreach (var token in expression.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.ColonToken) || token.IsKind(SyntaxKind.QuestionToken) || token.IsKind(SyntaxKind.ColonColonToken))
            {
                return "(" + text + ")";
            }
        }

        return text;
    }

    private static List<List<Piece>> Split(List<Piece> pieces, bool newlineMode)
    {
        var chunks = new List<List<Piece>>();
        var current = new List<Piece>();
        foreach (var piece in pieces)
        {
            if (piece.Kind != PieceKind.Text)
            {
                current.Add(piece);
                continue;
            }

            var text = piece.Text;
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var end = newlineMode
                    ? (text[i] == '\n' ? i + 1 : -1)
                    : (text[i] == '.' && i + 1 < text.Length && text[i + 1] == ' ' ? i + 2 : -1);
                if (end < 0)
                {
                    continue;
                }

                current.Add(new Piece(PieceKind.Text, text.Substring(start, end - start)));
                chunks.Add(current);
                current = new List<Piece>();
                start = end;
                i = end - 1;
            }

            if (start < text.Length)
            {
                current.Add(new Piece(PieceKind.Text, text.Substring(start)));
            }
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }

    private static bool IsVariable(List<Piece> chunk)
    {
        foreach (var piece in chunk)
        {
            if (piece.Kind == PieceKind.Variable)
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWith(List<Piece> chunk, char separator)
        => chunk.Count > 0
            && chunk[chunk.Count - 1] is { Kind: PieceKind.Text, Text: { Length: > 0 } text }
            && text[text.Length - 1] == separator;

    private static void Escape(StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '{': builder.Append("{{"); break;
                case '}': builder.Append("}}"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }
    }

    private enum PieceKind
    {
        Text,
        Stable,
        Variable,
    }

    /// <summary>Literal text (its value), or an interpolation hole ready to emit (<c>{expr,align:format}</c>).</summary>
    private readonly struct Piece
    {
        public Piece(PieceKind kind, string text)
        {
            Kind = kind;
            Text = text;
        }

        public PieceKind Kind { get; }

        public string Text { get; }
    }
}
