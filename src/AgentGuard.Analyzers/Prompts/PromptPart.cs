using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>One piece of prompt text, in the order the model reads it.</summary>
internal readonly struct PromptPart
{
    public PromptPart(SyntaxNode node, int constantLength, string? volatileSource, bool isConstant)
    {
        Node = node;
        ConstantLength = constantLength;
        VolatileSource = volatileSource;
        IsConstant = isConstant;
    }

    public SyntaxNode Node { get; }

    /// <summary>How many characters of stable text this part is; 0 for a variable part.</summary>
    public int ConstantLength { get; }

    /// <summary>For a variable part holding a value that differs on every call, that value (<c>DateTime.Now</c>).</summary>
    public string? VolatileSource { get; }

    public bool IsConstant { get; }
}
