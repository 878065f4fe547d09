using System.Collections.Immutable;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// Every model-call API AgentGuard understands, as data: which methods send a request to a model, on which types,
/// and where that API keeps its options, output cap, instructions, history and tools. Every rule reads this one table
/// (through <see cref="AgentGuardSymbols"/>); supporting a new SDK is a new row here, and
/// <c>agentguard.model_call_methods</c> extends it for in-house gateways.
/// </summary>
internal static class ModelApiCatalog
{
    /// <summary>
    /// The members Semantic Kernel's connector settings types use for the output cap (OpenAI and Azure OpenAI,
    /// Mistral, Gemini, Anthropic and Amazon connectors: <c>MaxTokens</c>; Ollama: <c>NumPredict</c>; Hugging Face:
    /// <c>MaxNewTokens</c>; others: <c>MaxOutputTokens</c>, <c>MaxCompletionTokens</c>, <c>MaxTokensToSample</c>).
    /// </summary>
    public static ImmutableArray<string> SemanticKernelCapMembers { get; } =
        ImmutableArray.Create("MaxTokens", "MaxOutputTokens", "MaxCompletionTokens", "MaxNewTokens", "NumPredict", "MaxTokensToSample");

    // Declared before Apis: static initializers run in textual order.
    private static ModelApiOptions SemanticKernelSettings { get; } = new(
        WellKnownTypeNames.PromptExecutionSettings,
        capMembers: SemanticKernelCapMembers,
        capDisplay: "MaxTokens on the execution settings",
        instructions: null,
        tools: null);

    /// <summary>The model-call APIs, one row per SDK surface.</summary>
    public static ImmutableArray<ModelApi> Apis { get; } = ImmutableArray.Create(
        new ModelApi(
            family: ModelApiFamily.ExtensionsAI,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.ChatClient, ReceiverMatch.IsOrDerives),
                new ModelApiReceiver(WellKnownTypeNames.ChatClientExtensions, ReceiverMatch.Exact),
                new ModelApiReceiver(WellKnownTypeNames.ChatClientStructuredOutputExtensions, ReceiverMatch.Exact)),
            methods: ImmutableArray.Create("GetResponseAsync", "GetStreamingResponseAsync"),
            options: new ModelApiOptions(
                WellKnownTypeNames.ChatOptions,
                capMembers: ImmutableArray.Create("MaxOutputTokens"),
                capDisplay: "ChatOptions.MaxOutputTokens",
                instructions: "Instructions",
                tools: "Tools"),
            honoursClientPipeline: true),

        new ModelApi(
            family: ModelApiFamily.SemanticKernel,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.ChatCompletionService, ReceiverMatch.IsOrDerives),
                new ModelApiReceiver(WellKnownTypeNames.ChatCompletionServiceExtensions, ReceiverMatch.Exact)),
            methods: ImmutableArray.Create("GetChatMessageContentsAsync", "GetChatMessageContentAsync", "GetStreamingChatMessageContentsAsync"),
            options: SemanticKernelSettings,
            honoursClientPipeline: true),

        // A prompt rendered and sent by the kernel: its settings come through KernelArguments.
        new ModelApi(
            family: ModelApiFamily.SemanticKernelPrompt,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.Kernel, ReceiverMatch.Exact),
                new ModelApiReceiver(WellKnownTypeNames.KernelExtensions, ReceiverMatch.Exact)),
            methods: ImmutableArray.Create("InvokePromptAsync", "InvokePromptStreamingAsync"),
            options: SemanticKernelSettings,
            honoursClientPipeline: true),

        // A kernel function may be a prompt (a model call) or native code: a model call for the loop rules, whose
        // settings live on the function, so the output-cap rule does not judge it.
        new ModelApi(
            family: ModelApiFamily.SemanticKernelFunction,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.Kernel, ReceiverMatch.Exact),
                new ModelApiReceiver(WellKnownTypeNames.KernelExtensions, ReceiverMatch.Exact),
                new ModelApiReceiver(WellKnownTypeNames.KernelFunction, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("InvokeAsync", "InvokeStreamingAsync"),
            options: null,
            honoursClientPipeline: true),

        // Semantic Kernel's agents (ChatCompletionAgent and the others): a model call for the loop and history rules;
        // their cap lives in the agent's Arguments, judged where the agent is created.
        new ModelApi(
            family: ModelApiFamily.SemanticKernelFunction,
            receivers: ImmutableArray.Create(new ModelApiReceiver(WellKnownTypeNames.SemanticKernelAgent, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("InvokeAsync", "InvokeStreamingAsync"),
            options: null,
            honoursClientPipeline: true),

        new ModelApi(
            family: ModelApiFamily.OpenAIChat,
            receivers: ImmutableArray.Create(new ModelApiReceiver(WellKnownTypeNames.OpenAIChatClient, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("CompleteChat", "CompleteChatAsync", "CompleteChatStreaming", "CompleteChatStreamingAsync"),
            options: new ModelApiOptions(
                WellKnownTypeNames.OpenAIChatCompletionOptions,
                capMembers: ImmutableArray.Create("MaxOutputTokenCount"),
                capDisplay: "ChatCompletionOptions.MaxOutputTokenCount",
                instructions: null,
                tools: "Tools"),
            honoursClientPipeline: false),

        new ModelApi(
            family: ModelApiFamily.OpenAIResponses,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.OpenAIResponsesClient, ReceiverMatch.IsOrDerives),
                new ModelApiReceiver(WellKnownTypeNames.OpenAIResponseClientPreview, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("CreateResponse", "CreateResponseAsync", "CreateResponseStreaming", "CreateResponseStreamingAsync"),
            options: new ModelApiOptions(
                WellKnownTypeNames.OpenAICreateResponseOptions,
                capMembers: ImmutableArray.Create("MaxOutputTokenCount"),
                capDisplay: "CreateResponseOptions.MaxOutputTokenCount",
                instructions: "Instructions",
                tools: "Tools",
                history: "InputItems"),
            honoursClientPipeline: false),

        // MessageCreateParams.MaxTokens is required: every Anthropic call carries a cap.
        new ModelApi(
            family: ModelApiFamily.Anthropic,
            receivers: ImmutableArray.Create(
                new ModelApiReceiver(WellKnownTypeNames.AnthropicMessageService, ReceiverMatch.IsOrDerives),
                new ModelApiReceiver(WellKnownTypeNames.AnthropicBetaMessageService, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("Create", "CreateStreaming"),
            options: null,
            honoursClientPipeline: false),

        // An agent run is one or more model calls; its cap is the agent's, set where the agent is created.
        new ModelApi(
            family: ModelApiFamily.AgentFramework,
            receivers: ImmutableArray.Create(new ModelApiReceiver(WellKnownTypeNames.AIAgent, ReceiverMatch.IsOrDerives)),
            methods: ImmutableArray.Create("RunAsync", "RunStreamingAsync"),
            options: null,
            honoursClientPipeline: true));

    /// <summary>
    /// The <c>ExtensionData</c> keys of the base <c>PromptExecutionSettings</c> that a connector reads as its output
    /// cap (the settings are converted through their JSON names).
    /// </summary>
    public static ImmutableArray<string> SemanticKernelCapKeys { get; } =
        ImmutableArray.Create("max_tokens", "max_completion_tokens", "max_output_tokens", "max_new_tokens", "num_predict", "maxOutputTokens");

    /// <summary>
    /// Where Microsoft Agent Framework agents get their cap: <c>new ChatClientAgent(client, …)</c> and
    /// <c>client.AsAIAgent(…)</c>, whose <c>ChatClientAgentOptions.ChatOptions</c> (or the client itself) carries it.
    /// </summary>
    public static ImmutableArray<string> AgentCreationMethods { get; } = ImmutableArray.Create("AsAIAgent", "CreateAIAgent");

    /// <summary>
    /// What trims a history before each request, per API: Microsoft.Extensions.AI's <c>IChatReducer</c>, Semantic
    /// Kernel's <c>IChatHistoryReducer</c>, and Microsoft Agent Framework's compaction strategies and chat-history
    /// provider reducer.
    /// </summary>
    public static ImmutableArray<string> HistoryTrimmers { get; } = ImmutableArray.Create(
        WellKnownTypeNames.ChatReducer,
        WellKnownTypeNames.ChatHistoryReducer,
        WellKnownTypeNames.AgentCompactionStrategy);

    /// <summary>
    /// The members (property or constructor parameter, compared without case) through which a request object carries
    /// the conversation: Anthropic's <c>MessageCreateParams.Messages</c>, OpenAI's <c>CreateResponseOptions.InputItems</c>.
    /// </summary>
    public static ImmutableArray<string> RequestHistoryMembers { get; } = ImmutableArray.Create("Messages", "InputItems");

    /// <summary>
    /// Properties that bound an agent loop run by a framework (the tool loop of <c>FunctionInvokingChatClient</c>,
    /// Agent Framework group chats): a value above
    /// <c>AG0001.max_iterations</c>, or <c>int.MaxValue</c>, leaves the loop to the model.
    /// </summary>
    public static ImmutableArray<LoopBoundProperty> LoopBounds { get; } = ImmutableArray.Create(
        new LoopBoundProperty(WellKnownTypeNames.FunctionInvokingChatClient, "MaximumIterationsPerRequest"),
        new LoopBoundProperty(WellKnownTypeNames.AgentGroupChatManager, "MaximumIterationCount"));
}

/// <summary>The SDK surface a <see cref="ModelApi"/> belongs to; rules that treat a family specially switch on it.</summary>
internal enum ModelApiFamily
{
    ExtensionsAI,
    SemanticKernel,
    SemanticKernelPrompt,
    SemanticKernelFunction,
    OpenAIChat,
    OpenAIResponses,
    Anthropic,
    AgentFramework,
    Configured,
}

/// <summary>How a method's containing type must relate to a receiver type of the catalogue.</summary>
internal enum ReceiverMatch
{
    /// <summary>The very type: a static extension class.</summary>
    Exact,

    /// <summary>The type, a type deriving from it, or one implementing it.</summary>
    IsOrDerives,
}

/// <summary>A type whose methods of <see cref="ModelApi.Methods"/> call a model.</summary>
internal sealed class ModelApiReceiver
{
    public ModelApiReceiver(string metadataName, ReceiverMatch match)
    {
        MetadataName = metadataName;
        Match = match;
    }

    public string MetadataName { get; }

    public ReceiverMatch Match { get; }
}

/// <summary>Where one API keeps the settings of a request.</summary>
internal sealed class ModelApiOptions
{
    public ModelApiOptions(string metadataName, ImmutableArray<string> capMembers, string capDisplay, string? instructions, string? tools, string? history = null)
    {
        MetadataName = metadataName;
        CapMembers = capMembers;
        CapDisplay = capDisplay;
        Instructions = instructions;
        Tools = tools;
        History = history;
    }

    /// <summary>The options type (<c>ChatOptions</c>, <c>ChatCompletionOptions</c>, <c>PromptExecutionSettings</c>…).</summary>
    public string MetadataName { get; }

    /// <summary>The members that carry the output cap; the first is the one a fix writes.</summary>
    public ImmutableArray<string> CapMembers { get; }

    /// <summary>What the AG0002 message tells the user to set.</summary>
    public string CapDisplay { get; }

    /// <summary>The member holding the instructions (the head of the cached prefix), if the options have one.</summary>
    public string? Instructions { get; }

    /// <summary>The member holding the tool list, if the options have one.</summary>
    public string? Tools { get; }

    /// <summary>The member holding the conversation sent with the request, if the options carry it.</summary>
    public string? History { get; }
}

/// <summary>One model-call API: the methods that send a request, the types they are declared on, their options.</summary>
internal sealed class ModelApi
{
    public ModelApi(ModelApiFamily family, ImmutableArray<ModelApiReceiver> receivers, ImmutableArray<string> methods, ModelApiOptions? options, bool honoursClientPipeline)
    {
        Family = family;
        Receivers = receivers;
        Methods = methods;
        Options = options;
        HonoursClientPipeline = honoursClientPipeline;
    }

    public ModelApiFamily Family { get; }

    public ImmutableArray<ModelApiReceiver> Receivers { get; }

    public ImmutableArray<string> Methods { get; }

    /// <summary>Where the request's options live; <see langword="null"/> when the output-cap rule does not judge the call.</summary>
    public ModelApiOptions? Options { get; }

    /// <summary>Whether a capped <c>IChatClient</c> pipeline can apply the cap to this API's calls.</summary>
    public bool HonoursClientPipeline { get; }
}

/// <summary>A property of a framework type that bounds the loop the framework runs.</summary>
internal sealed class LoopBoundProperty
{
    public LoopBoundProperty(string typeMetadataName, string property)
    {
        TypeMetadataName = typeMetadataName;
        Property = property;
    }

    public string TypeMetadataName { get; }

    public string Property { get; }
}
