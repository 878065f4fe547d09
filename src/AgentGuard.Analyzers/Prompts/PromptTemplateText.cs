using System.Collections.Generic;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// Splits a Semantic Kernel prompt template (the default <c>semantic-kernel</c> format) into literal text and
/// <c>{{…}}</c> blocks. A variable (<c>{{$input}}</c>) or a function call (<c>{{time.Now}}</c>) is variable; a quoted
/// value (<c>{{'text'}}</c>) is constant.
/// </summary>
internal static class PromptTemplateText
{
    /// <summary>The template's segments in order; a block whose closing braces are missing ends the template as text.</summary>
    public static List<TemplateSegment> Split(string template)
    {
        var segments = new List<TemplateSegment>();
        var textStart = 0;
        var i = 0;
        while (i < template.Length - 1)
        {
            if (template[i] != '{' || template[i + 1] != '{')
            {
                i++;
                continue;
            }

            var close = template.IndexOf("}}", i + 2, System.StringComparison.Ordinal);
            if (close < 0)
            {
                break;
            }

            if (i > textStart)
            {
                segments.Add(new TemplateSegment(textStart, i - textStart, TemplateSegmentKind.Text));
            }

            var content = template.Substring(i + 2, close - i - 2).Trim();
            var kind = content.Length > 0 && (content[0] == '\'' || content[0] == '"')
                ? TemplateSegmentKind.ConstantBlock
                : TemplateSegmentKind.VariableBlock;
            segments.Add(new TemplateSegment(i, close + 2 - i, kind));
            i = close + 2;
            textStart = i;
        }

        if (textStart < template.Length)
        {
            segments.Add(new TemplateSegment(textStart, template.Length - textStart, TemplateSegmentKind.Text));
        }

        return segments;
    }
}

/// <summary>What a piece of a prompt template is.</summary>
internal enum TemplateSegmentKind
{
    Text,
    ConstantBlock,
    VariableBlock,
}

/// <summary>A piece of a prompt template: where it is in the template and what it is.</summary>
internal readonly struct TemplateSegment
{
    public TemplateSegment(int start, int length, TemplateSegmentKind kind)
    {
        Start = start;
        Length = length;
        Kind = kind;
    }

    public int Start { get; }

    public int Length { get; }

    public TemplateSegmentKind Kind { get; }
}
