namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Keys of the <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> an AG0002 diagnostic carries to its code
/// fix, which cannot read <c>.editorconfig</c> or re-run the analysis itself.
/// </summary>
internal static class OutputCapProperties
{
    /// <summary>Which edit fixes the diagnostic: one of the <c>Fix…</c> values; absent when there is no fix.</summary>
    public const string Fix = "Fix";

    /// <summary>The options property that carries the cap: <c>MaxOutputTokens</c>, <c>MaxOutputTokenCount</c>, a Semantic Kernel connector's <c>MaxTokens</c>, or <c>ExtensionData</c> for a <c>max_tokens</c> entry.</summary>
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

    /// <summary>
    /// The metadata name of a type the new options are wrapped in: <c>KernelArguments</c>, whose constructor takes
    /// Semantic Kernel's execution settings.
    /// </summary>
    public const string WrapInType = "WrapInType";

    /// <summary>
    /// When the member added to an initializer is itself options (an agent's <c>ChatOptions</c>): the metadata name of
    /// their type, created with <see cref="CapValueMember"/> set to the cap.
    /// </summary>
    public const string CapValueType = "CapValueType";

    /// <summary>The cap member of <see cref="CapValueType"/>.</summary>
    public const string CapValueMember = "CapValueMember";

    /// <summary><c>"true"</c> when a Responses call's input is a text (else a list of items).</summary>
    public const string InputIsText = "InputIsText";

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

    /// <summary>
    /// Move an OpenAI <c>CreateResponse(model, input, previousResponseId)</c> call to the overload that takes
    /// <c>CreateResponseOptions</c>, carrying the model, input and previous response over.
    /// </summary>
    public const string FixUseResponseOptions = "UseResponseOptions";

    /// <summary>Add new settings as the first constructor argument of the <c>KernelArguments</c> at the additional location.</summary>
    public const string FixAddConstructorArgument = "AddConstructorArgument";

    /// <summary>Build the agent on the client wrapped in a capping pipeline (<c>client.AsBuilder().ConfigureOptions(…).Build()</c>).</summary>
    public const string FixCapAgentClient = "CapAgentClient";

    /// <summary>
    /// Pass <c>clientFactory: client => client.AsBuilder().ConfigureOptions(…).Build()</c> to an SDK's <c>AsAIAgent</c>
    /// (the diagnostic's location), whose receiver is not itself a chat client.
    /// </summary>
    public const string FixCapAgentClientFactory = "CapAgentClientFactory";
}
