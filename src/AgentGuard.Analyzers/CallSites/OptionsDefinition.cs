using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>What one value given to an options variable, field or argument provably is.</summary>
internal readonly struct OptionsDefinition
{
    private OptionsDefinition(OptionsDefinitionKind kind, SyntaxNode? node)
    {
        Kind = kind;
        Node = node;
    }

    public OptionsDefinitionKind Kind { get; }

    /// <summary>The <c>null</c> literal or object creation, for the code fix.</summary>
    public SyntaxNode? Node { get; }

    public bool IsUncapped => Kind is OptionsDefinitionKind.Null or OptionsDefinitionKind.UncappedCreation;

    public static OptionsDefinition Unknown { get; } = new(OptionsDefinitionKind.Unknown, null);

    public static OptionsDefinition Capped { get; } = new(OptionsDefinitionKind.Capped, null);

    public static OptionsDefinition Null(SyntaxNode? node) => new(OptionsDefinitionKind.Null, node);

    public static OptionsDefinition UncappedCreation(SyntaxNode? node) => new(OptionsDefinitionKind.UncappedCreation, node);
}

internal enum OptionsDefinitionKind
{
    /// <summary>The analyzer cannot see what the value is: stay silent.</summary>
    Unknown,

    /// <summary>A value that sets the cap.</summary>
    Capped,

    /// <summary><c>null</c> or <c>default</c>.</summary>
    Null,

    /// <summary>A <c>new …Options { … }</c> of the SDK's own type whose initializer does not set the cap.</summary>
    UncappedCreation,
}
