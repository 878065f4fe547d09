namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Keys of the <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> an AG0002 diagnostic carries to its code
/// fix, which cannot read <c>.editorconfig</c> or re-run the analysis itself.
/// </summary>
internal static class OutputCapProperties
{
    /// <summary>Which edit fixes the diagnostic: one of the <c>Fix…</c> values; absent when there is no fix.</summary>
    public const string Fix = "Fix";

    /// <summary>The options property that carries the cap: <c>MaxOutputTokens</c> or <c>MaxOutputTokenCount</c>.</summary>
    public const string CapMember = "CapMember";

    /// <summary>The metadata name of the options type to create.</summary>
    public const string OptionsType = "OptionsType";

    /// <summary>The metadata name of the message type of an OpenAI <c>params</c> overload.</summary>
    public const string MessageType = "MessageType";

    /// <summary>The cap to insert, from <c>agentguard.default_max_output_tokens</c>.</summary>
    public const string MaxOutputTokens = "MaxOutputTokens";

    /// <summary>The name of the options parameter, for a named argument.</summary>
    public const string ParameterName = "ParameterName";

    /// <summary><c>"true"</c> when the new options argument can be passed positionally.</summary>
    public const string Positional = "Positional";

    /// <summary><c>"true"</c> when an OpenAI <c>params</c> call lists its messages one by one.</summary>
    public const string Expanded = "Expanded";

    /// <summary>Pass a new options object as a new argument of the invocation (the diagnostic's location).</summary>
    public const string FixAddArgument = "AddArgument";

    /// <summary>Replace the <c>null</c> or <c>default</c> at the additional location with a new options object.</summary>
    public const string FixReplaceWithNew = "ReplaceWithNew";

    /// <summary>Add the cap to the object creation at the additional location.</summary>
    public const string FixAddToInitializer = "AddToInitializer";

    /// <summary>
    /// Move an OpenAI <c>CompleteChat(params ChatMessage[])</c> call (the diagnostic's location) to the overload that
    /// takes options: wrap expanded messages in an array and pass new options.
    /// </summary>
    public const string FixUseOptionsOverload = "UseOptionsOverload";
}
