using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// One model API's options type, as AG0002 judges it: a row of <see cref="ModelApiCatalog"/> resolved against the
/// compilation, or the options of an Agent Framework agent.
/// </summary>
internal sealed class OutputCapApi
{
    public OutputCapApi(ModelApiFamily family, INamedTypeSymbol optionsType, ImmutableArray<string> capMembers, string display, bool honoursClientPipeline, OutputCapApi? nested = null)
    {
        Nested = nested;
        Family = family;
        OptionsType = optionsType;
        CapMembers = capMembers;
        Display = display;
        HonoursClientPipeline = honoursClientPipeline;
        OptionsTypeMetadataName = MetadataNameOf(optionsType);
    }

    public ModelApiFamily Family { get; }

    /// <summary>For an agent's options, the chat options inside them that carry the cap.</summary>
    public OutputCapApi? Nested { get; }

    /// <summary>The options type (<c>ChatOptions</c>, <c>ChatCompletionOptions</c>, <c>PromptExecutionSettings</c>…).</summary>
    public INamedTypeSymbol OptionsType { get; }

    public string OptionsTypeMetadataName { get; }

    /// <summary>The members that carry the cap; an access to a member of one of these names counts as setting it.</summary>
    public ImmutableArray<string> CapMembers { get; }

    /// <summary>The member a fix writes when the options type does not say otherwise.</summary>
    public string CapMember => CapMembers[0];

    /// <summary>What the message tells the user to set.</summary>
    public string Display { get; }

    /// <summary>Whether a capped <c>IChatClient</c> pipeline that reaches the call applies the cap to it.</summary>
    public bool HonoursClientPipeline { get; }

    /// <summary>
    /// Whether the options come as a type hierarchy whose concrete type decides where the cap lives (Semantic Kernel's
    /// connector settings), so a creation of a derived type is judged too.
    /// </summary>
    public bool IsSemanticKernel => Family is ModelApiFamily.SemanticKernel or ModelApiFamily.SemanticKernelPrompt;

    /// <summary>Whether <paramref name="name"/> is one of the members that carry the cap.</summary>
    public bool IsCapMember(string name)
    {
        foreach (var member in CapMembers)
        {
            if (member == name)
            {
                return true;
            }
        }

        // Semantic Kernel's base settings carry the cap in ExtensionData: touching it may set it.
        return IsSemanticKernel && name == "ExtensionData";
    }

    public static string MetadataNameOf(INamedTypeSymbol type)
        => type.ContainingNamespace is { IsGlobalNamespace: false } ns
            ? ns.ToDisplayString() + "." + type.MetadataName
            : type.MetadataName;
}
