using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>One model API's options type and the member of it that caps the output.</summary>
internal sealed class OutputCapApi
{
    public OutputCapApi(INamedTypeSymbol optionsType, string capMember, string display, bool hasFix, bool honoursClientPipeline)
    {
        OptionsType = optionsType;
        CapMember = capMember;
        Display = display;
        HasFix = hasFix;
        HonoursClientPipeline = honoursClientPipeline;
        OptionsTypeMetadataName = optionsType.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? ns.ToDisplayString() + "." + optionsType.MetadataName
            : optionsType.MetadataName;
    }

    /// <summary>The options type (<c>ChatOptions</c>, <c>ChatCompletionOptions</c>, <c>PromptExecutionSettings</c>).</summary>
    public INamedTypeSymbol OptionsType { get; }

    public string OptionsTypeMetadataName { get; }

    /// <summary>The property that carries the cap; an access to a member of this name counts as setting it.</summary>
    public string CapMember { get; }

    /// <summary>What the message tells the user to set.</summary>
    public string Display { get; }

    /// <summary>Whether the code fix knows how to write the cap for this API.</summary>
    public bool HasFix { get; }

    /// <summary>Whether a <c>ChatClientBuilder</c> pipeline in the same type can apply the cap to the call.</summary>
    public bool HonoursClientPipeline { get; }
}
