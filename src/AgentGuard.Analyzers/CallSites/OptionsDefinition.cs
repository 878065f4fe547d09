using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>What one value given to an options variable, field or argument provably is.</summary>
internal readonly struct OptionsDefinition
{
    private OptionsDefinition(OptionsDefinitionKind kind, SyntaxNode? node, string? capMember = null)
    {
        Kind = kind;
        Node = node;
        CapMember = capMember;
    }

    public OptionsDefinitionKind Kind { get; }

    /// <summary>The <c>null</c> literal or object creation, for the code fix.</summary>
    public SyntaxNode? Node { get; }

    /// <summary>
    /// The member the fix writes into <see cref="Node"/> when it is not the API's first cap member: a Semantic Kernel
    /// connector's own name for it, <c>ExtensionData</c> for the base settings, <c>ChatOptions</c> for an agent's
    /// options that have none.
    /// </summary>
    public string? CapMember { get; }

    public bool IsUncapped => Kind is OptionsDefinitionKind.Null or OptionsDefinitionKind.UncappedCreation;

    public static OptionsDefinition Unknown { get; } = new(OptionsDefinitionKind.Unknown, null);

    public static OptionsDefinition Capped { get; } = new(OptionsDefinitionKind.Capped, null);

    public static OptionsDefinition Null(SyntaxNode? node) => new(OptionsDefinitionKind.Null, node);

    public static OptionsDefinition UncappedCreation(SyntaxNode? node, string? capMember = null) => new(OptionsDefinitionKind.UncappedCreation, node, capMember);
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
