using System;
using System.Text;

namespace AgentGuard.Analyzers.Generator;

/// <summary>Writes indented C# text; <see cref="Block"/> opens a brace block closed on dispose.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder builder = new();
    private int depth;

    public IndentedWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            builder.Append(' ', depth * 4);
            builder.Append(text);
        }

        builder.Append('\n');
        return this;
    }

    public BlockScope Block(string? header = null, string close = "}")
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        depth++;
        return new BlockScope(this, close);
    }

    public override string ToString() => builder.ToString();

    internal readonly struct BlockScope : IDisposable
    {
        private readonly IndentedWriter writer;
        private readonly string close;

        public BlockScope(IndentedWriter writer, string close)
        {
            this.writer = writer;
            this.close = close;
        }

        public void Dispose()
        {
            writer.depth--;
            writer.Line(close);
        }
    }
}
