using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using AgentGuard.Analyzers.Prompts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>
/// Reordering a prompt's text: the lines (or, in a one-line prompt, the sentences) holding variable parts go after
/// the stable ones. Reads interpolated strings (raw ones too), concatenations, <c>string.Format</c> calls and Semantic
/// Kernel templates; writes an interpolated string (a raw one when the prompt was one multi-line raw string), or for a
/// template a string literal.
/// </summary>
public sealed partial class VariablePromptPrefixCodeFixProvider
{
    /// <summary>The prompt with its variable lines or sentences last, or <see langword="null"/> when that changes nothing or is not safe.</summary>
    private static ExpressionSyntax? Reorder(ExpressionSyntax expression, SemanticModel model, bool template, CancellationToken cancellationToken)
    {
        var pieces = new List<Piece>();
        var order = 0;
        if (!(template ? CollectTemplate(expression, pieces) : Collect(expression, model, pieces, ref order, cancellationToken)))
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
        var output = new List<Piece>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var chunk = ordered[i];
            var last = i == ordered.Count - 1;
            for (var j = 0; j < chunk.Count; j++)
            {
                var piece = chunk[j];
                if (piece.Kind == PieceKind.Text && last && j == chunk.Count - 1 && !endsWithSeparator
                    && piece.Text.Length > 0 && piece.Text[piece.Text.Length - 1] == separator)
                {
                    // The chunk that used to be in the middle ends the prompt now: drop its separator.
                    piece = new Piece(PieceKind.Text, piece.Text.Substring(0, piece.Text.Length - 1));
                }

                output.Add(piece);
            }

            if (!last && !EndsWith(chunk, separator))
            {
                output.Add(new Piece(PieceKind.Text, separator.ToString()));
            }
        }

        // Values with side effects must still be evaluated once each, in their original order.
        var previous = -1;
        foreach (var piece in output)
        {
            if (piece.Order >= 0)
            {
                if (piece.Order <= previous)
                {
                    return null;
                }

                previous = piece.Order;
            }
        }

        return SyntaxFactory.ParseExpression(Emit(output, expression, template));
    }

    private static bool Collect(ExpressionSyntax expression, SemanticModel model, List<Piece> pieces, ref int order, CancellationToken cancellationToken)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Collect(parenthesized.Expression, model, pieces, ref order, cancellationToken);

            case InterpolatedStringExpressionSyntax interpolated:
                foreach (var content in interpolated.Contents)
                {
                    switch (content)
                    {
                        case InterpolatedStringTextSyntax text:
                            pieces.Add(new Piece(PieceKind.Text, text.TextToken.ValueText));
                            break;
                        case InterpolationSyntax hole:
                            pieces.Add(Hole(
                                hole.Expression,
                                HoleExpression(hole.Expression) + hole.AlignmentClause?.ToString() + hole.FormatClause?.ToString(),
                                model,
                                ref order,
                                cancellationToken));
                            break;
                    }
                }

                return true;

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression)
                && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType == SpecialType.System_String:
                return Collect(binary.Left, model, pieces, ref order, cancellationToken) && Collect(binary.Right, model, pieces, ref order, cancellationToken);

            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                pieces.Add(new Piece(PieceKind.Text, literal.Token.ValueText));
                return true;

            case InvocationExpressionSyntax invocation when model.GetOperation(invocation, cancellationToken) is IInvocationOperation format
                && format.TargetMethod is { Name: "Format", ContainingType.SpecialType: SpecialType.System_String }:
                return CollectFormat(format, model, pieces, ref order, cancellationToken);

            default:
                pieces.Add(Hole(expression, HoleExpression(expression), model, ref order, cancellationToken));
                return true;
        }
    }

    /// <summary><c>string.Format(format, args…)</c> as text and holes; refused with a format provider or a value used other than once.</summary>
    private static bool CollectFormat(IInvocationOperation invocation, SemanticModel model, List<Piece> pieces, ref int order, CancellationToken cancellationToken)
    {
        string? format = null;
        var values = new List<ExpressionSyntax>();
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "format":
                    format = argument.Value.ConstantValue.Value as string;
                    break;
                case "provider":
                    // An interpolated string formats with the current culture: not the same text.
                    return false;
                default:
                    if (argument.ArgumentKind == ArgumentKind.ParamArray)
                    {
                        if (argument.Value is not IArrayCreationOperation { Initializer: { } array })
                        {
                            return false;
                        }

                        foreach (var element in array.ElementValues)
                        {
                            if (element.Syntax is not ExpressionSyntax elementSyntax)
                            {
                                return false;
                            }

                            values.Add(elementSyntax);
                        }
                    }
                    else if (argument.Syntax is ArgumentSyntax { Expression: { } value })
                    {
                        values.Add(value);
                    }
                    else
                    {
                        return false;
                    }

                    break;
            }
        }

        if (format is null)
        {
            return false;
        }

        var uses = new int[values.Count];
        var text = new StringBuilder();
        var holes = new List<(int Index, string Suffix)>();
        var formatPieces = new List<(string? Text, int Index, string Suffix)>();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                return false;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                return false;
            }

            var item = format.Substring(i + 1, close - i - 1);
            var end = item.IndexOfAny(new[] { ',', ':' });
            if (!int.TryParse(end < 0 ? item : item.Substring(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index >= values.Count
                || item.IndexOf('{') >= 0)
            {
                return false;
            }

            if (text.Length > 0)
            {
                formatPieces.Add((text.ToString(), -1, string.Empty));
                text.Clear();
            }

            uses[index]++;
            formatPieces.Add((null, index, end < 0 ? string.Empty : item.Substring(end)));
            i = close;
        }

        if (text.Length > 0)
        {
            formatPieces.Add((text.ToString(), -1, string.Empty));
        }

        // Arguments are evaluated in argument order: hand out their orders first, then check each is used once.
        var orders = new int[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            orders[i] = IsSimple(values[i]) ? -1 : order++;
            if (orders[i] >= 0 && uses[i] != 1)
            {
                return false;
            }
        }

        foreach (var (literal, index, suffix) in formatPieces)
        {
            if (literal is not null)
            {
                pieces.Add(new Piece(PieceKind.Text, literal));
                continue;
            }

            var value = values[index];
            var kind = IsStable(value, model, cancellationToken) ? PieceKind.Stable : PieceKind.Variable;
            pieces.Add(new Piece(kind, HoleExpression(value) + suffix, orders[index]));
        }

        return true;
    }

    /// <summary>A Semantic Kernel template literal: its text, its constant blocks and its variable blocks.</summary>
    private static bool CollectTemplate(ExpressionSyntax expression, List<Piece> pieces)
    {
        if (expression is not LiteralExpressionSyntax literal || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return false;
        }

        var template = literal.Token.ValueText;
        if (template.IndexOf("<message", System.StringComparison.OrdinalIgnoreCase) >= 0)
        {
            // A chat prompt: its lines belong to <message> elements that reordering could break apart.
            return false;
        }

        foreach (var segment in PromptTemplateText.Split(template))
        {
            var kind = segment.Kind switch
            {
                TemplateSegmentKind.Text => PieceKind.Text,
                TemplateSegmentKind.ConstantBlock => PieceKind.Stable,
                _ => PieceKind.Variable,
            };
            pieces.Add(new Piece(kind, template.Substring(segment.Start, segment.Length)));
        }

        return true;
    }

    private static Piece Hole(ExpressionSyntax expression, string text, SemanticModel model, ref int order, CancellationToken cancellationToken)
        => new(
            IsStable(expression, model, cancellationToken) ? PieceKind.Stable : PieceKind.Variable,
            text,
            IsSimple(expression) ? -1 : order++);

    private static bool IsStable(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        => model.GetConstantValue(expression, cancellationToken).HasValue
            || model.GetSymbolInfo(expression, cancellationToken).Symbol is IFieldSymbol { IsConst: true } or IFieldSymbol { IsReadOnly: true };

    /// <summary>Whether evaluating <paramref name="expression"/> cannot have a side effect worth keeping in order: a name, a member read, a literal.</summary>
    private static bool IsSimple(ExpressionSyntax expression)
        => expression switch
        {
            IdentifierNameSyntax or LiteralExpressionSyntax or ThisExpressionSyntax or BaseExpressionSyntax or PredefinedTypeSyntax => true,
            MemberAccessExpressionSyntax access => IsSimple(access.Expression),
            ParenthesizedExpressionSyntax parenthesized => IsSimple(parenthesized.Expression),
            CastExpressionSyntax cast => IsSimple(cast.Expression),
            _ => false,
        };

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

    /// <summary>
    /// Writes the reordered pieces: as a multi-line raw string when the prompt was one (same <c>$</c> and quote
    /// counts, same indentation), else as a regular interpolated string — or, for a template, a plain string.
    /// </summary>
    private static string Emit(List<Piece> output, ExpressionSyntax original, bool template)
    {
        var token = original switch
        {
            InterpolatedStringExpressionSyntax interpolated => interpolated.StringStartToken,
            LiteralExpressionSyntax literal => literal.Token,
            _ => default,
        };

        if (token.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken))
        {
            return EmitRaw(output, original, token, template);
        }

        var builder = new StringBuilder(template ? "\"" : "$\"");
        foreach (var piece in output)
        {
            if (piece.Kind == PieceKind.Text || template)
            {
                Escape(builder, piece.Text, doubleBraces: !template);
            }
            else
            {
                builder.Append('{').Append(piece.Text).Append('}');
            }
        }

        return builder.Append('"').ToString();
    }

    private static string EmitRaw(List<Piece> output, ExpressionSyntax original, SyntaxToken start, bool template)
    {
        var startText = start.Text;
        var dollars = 0;
        while (dollars < startText.Length && startText[dollars] == '$')
        {
            dollars++;
        }

        var quotes = 0;
        while (dollars + quotes < startText.Length && startText[dollars + quotes] == '"')
        {
            quotes++;
        }

        var content = new StringBuilder();
        foreach (var piece in output)
        {
            if (piece.Kind == PieceKind.Text || template)
            {
                content.Append(piece.Text);
            }
            else
            {
                content.Append('{', dollars).Append(piece.Text).Append('}', dollars);
            }
        }

        // The closing quotes sit on their own line, at the indentation every content line starts with.
        var source = original.ToString();
        var lastLine = source.LastIndexOf('\n');
        var indentation = lastLine < 0 ? string.Empty : source.Substring(lastLine + 1, source.Length - lastLine - 1 - quotes);
        var eol = source.IndexOf("\r\n", System.StringComparison.Ordinal) >= 0 ? "\r\n" : "\n";
        var delimiter = new string('"', quotes);
        var builder = new StringBuilder();
        builder.Append('$', dollars).Append(delimiter).Append(eol);
        foreach (var line in content.ToString().Replace("\r\n", "\n").Split('\n'))
        {
            if (line.Length > 0)
            {
                builder.Append(indentation).Append(line);
            }

            builder.Append(eol);
        }

        return builder.Append(indentation).Append(delimiter).ToString();
    }

    private static void Escape(StringBuilder builder, string text, bool doubleBraces)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '{' when doubleBraces: builder.Append("{{"); break;
                case '}' when doubleBraces: builder.Append("}}"); break;
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

    /// <summary>
    /// Literal text (its value), or a hole ready to emit between braces (<c>expr,align:format</c>) — for a template,
    /// a whole block. <see cref="Order"/> is the evaluation order of a value with possible side effects, else -1.
    /// </summary>
    private readonly struct Piece
    {
        public Piece(PieceKind kind, string text, int order = -1)
        {
            Kind = kind;
            Text = text;
            Order = order;
        }

        public PieceKind Kind { get; }

        public string Text { get; }

        public int Order { get; }
    }
}
