using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace AgentGuard.Analyzers.Generator;

/// <summary>
/// Writes indented C# text. <c>writer.WriteLine($"…")</c> appends the parts of the interpolated string straight
/// into the output; <see cref="WriteBlock()"/> opens a brace block closed on dispose. A blank line between members is
/// asked for with <see cref="WriteLine()"/> and written only if something other than a closing brace follows, so a
/// member never leaves a blank line before the brace that ends its type.
/// </summary>
internal sealed class IndentedTextWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder builder = new();
    private int depth;
    private bool atLineStart = true;
    private bool blankLinePending;

    /// <summary>Asks for a blank line before whatever comes next, unless that is a closing brace.</summary>
    public void WriteLine() => blankLinePending = true;

    /// <summary>Writes <paramref name="text"/> as a line.</summary>
    public void WriteLine(string text)
    {
        Write(text);
        EndLine();
    }

    /// <summary>Writes an interpolated string as a line, appending each part as it comes.</summary>
    public void WriteLine([InterpolatedStringHandlerArgument("")] ref WriteInterpolatedStringHandler handler) => EndLine();

    /// <summary>Writes <paramref name="text"/> on the current line.</summary>
    public void Write(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (atLineStart)
        {
            if (blankLinePending && text![0] != '}')
            {
                builder.Append('\n');
            }

            blankLinePending = false;
            builder.Append(' ', depth * IndentSize);
            atLineStart = false;
        }

        builder.Append(text);
    }

    /// <summary>Writes an interpolated string on the current line.</summary>
    public void Write([InterpolatedStringHandlerArgument("")] ref WriteInterpolatedStringHandler handler)
    {
    }

    /// <summary>Ends the line written so far, if any, and opens a <c>{</c> block under it; disposing the scope writes <c>}</c>.</summary>
    public Block WriteBlock() => OpenBlock("}");

    /// <summary>Writes a header line and opens a block under it; disposing the scope writes <c>}</c>.</summary>
    public Block WriteBlock(string header)
    {
        WriteLine(header);
        return OpenBlock("}");
    }

    /// <summary>Writes an interpolated header line and opens a block under it; disposing the scope writes <c>}</c>.</summary>
    public Block WriteBlock([InterpolatedStringHandlerArgument("")] ref WriteInterpolatedStringHandler header)
    {
        EndLine();
        return OpenBlock("}");
    }

    /// <summary>Writes an interpolated header line and opens a block closed by <paramref name="close"/> (say <c>};</c>).</summary>
    public Block WriteBlock(string close, [InterpolatedStringHandlerArgument("")] ref WriteInterpolatedStringHandler header)
    {
        EndLine();
        return OpenBlock(close);
    }

    /// <summary>Indents the lines written until the scope is disposed, with no braces.</summary>
    public Block Indent()
    {
        depth++;
        return new Block(this, close: null);
    }

    public override string ToString() => builder.ToString();

    private Block OpenBlock(string close)
    {
        if (!atLineStart)
        {
            EndLine();
        }

        WriteLine("{");
        depth++;
        return new Block(this, close);
    }

    private void EndLine()
    {
        if (atLineStart)
        {
            // An empty line: written as is, never doubled by a pending blank line.
            blankLinePending = false;
        }

        builder.Append('\n');
        atLineStart = true;
    }

    /// <summary>An open block or indentation; disposing it closes it.</summary>
    internal readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter writer;
        private readonly string? close;

        public Block(IndentedTextWriter writer, string? close)
        {
            this.writer = writer;
            this.close = close;
        }

        public void Dispose()
        {
            writer.depth--;
            if (close is not null)
            {
                writer.WriteLine(close);
            }
        }
    }

    /// <summary>Appends the parts of an interpolated string straight into the writer, with no intermediate string.</summary>
    [InterpolatedStringHandler]
    internal readonly ref struct WriteInterpolatedStringHandler
    {
        private readonly IndentedTextWriter writer;

        public WriteInterpolatedStringHandler(int literalLength, int formattedCount, IndentedTextWriter writer)
        {
            _ = literalLength;
            _ = formattedCount;
            this.writer = writer;
        }

        public void AppendLiteral(string value) => writer.Write(value);

        public void AppendFormatted(string? value) => writer.Write(value);

        public void AppendFormatted(int value) => writer.Write(value.ToString(CultureInfo.InvariantCulture));
    }
}
