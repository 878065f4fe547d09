using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>The message types AG0003 reads, a view over the compilation's <see cref="WellKnownTypes"/> (<see langword="null"/> when not referenced).</summary>
internal sealed class PromptSymbols
{
    public PromptSymbols(AgentGuardSymbols symbols)
    {
        var types = symbols.Types;
        ChatMessage = symbols.ChatMessage;
        ChatOptions = symbols.ChatOptions;
        ChatHistory = symbols.ChatHistory;
        ChatMessageContent = types.Get(WellKnownTypeNames.ChatMessageContent);
        OpenAIChatMessage = types.Get(WellKnownTypeNames.OpenAIChatMessage);
        OpenAISystemMessage = types.Get(WellKnownTypeNames.OpenAISystemChatMessage);
        OpenAIDeveloperMessage = types.Get(WellKnownTypeNames.OpenAIDeveloperChatMessage);
        OpenAIUserMessage = types.Get(WellKnownTypeNames.OpenAIUserChatMessage);
        OpenAIAssistantMessage = types.Get(WellKnownTypeNames.OpenAIAssistantChatMessage);
        ResponseOptions = types.Get(WellKnownTypeNames.OpenAIResponseOptions);
        ChatCompletionOptions = types.Get(WellKnownTypeNames.OpenAIChatCompletionOptions);
        ChatClientAgent = types.Get(WellKnownTypeNames.AgentFrameworkChatClientAgent);
        AgentChatClientExtensions = types.Get(WellKnownTypeNames.AgentFrameworkChatClientExtensions);
        AnthropicMessageCreateParams = types.Get(WellKnownTypeNames.AnthropicMessageCreateParams);
        AnthropicTextBlock = types.Get(WellKnownTypeNames.AnthropicTextBlockParam);
        KernelExtensions = types.Get(WellKnownTypeNames.KernelExtensions);
        KernelFunctionFactory = types.Get(WellKnownTypeNames.SemanticKernelFunctionFactory);
    }

    public INamedTypeSymbol? ChatMessage { get; }
    public INamedTypeSymbol? ChatOptions { get; }
    public INamedTypeSymbol? ChatHistory { get; }
    public INamedTypeSymbol? ChatMessageContent { get; }
    public INamedTypeSymbol? OpenAIChatMessage { get; }
    public INamedTypeSymbol? OpenAISystemMessage { get; }
    public INamedTypeSymbol? OpenAIDeveloperMessage { get; }
    public INamedTypeSymbol? OpenAIUserMessage { get; }
    public INamedTypeSymbol? OpenAIAssistantMessage { get; }

    /// <summary>OpenAI Responses API options, whose <c>Instructions</c> lead the request.</summary>
    public INamedTypeSymbol? ResponseOptions { get; }

    /// <summary>OpenAI chat options, whose get-only <c>Tools</c> list is filled with <c>Add</c>.</summary>
    public INamedTypeSymbol? ChatCompletionOptions { get; }

    /// <summary>Microsoft Agent Framework's agent over an <c>IChatClient</c>, created with <c>instructions</c>.</summary>
    public INamedTypeSymbol? ChatClientAgent { get; }

    /// <summary>Microsoft Agent Framework's <c>AsAIAgent(instructions: …)</c> extensions on <c>IChatClient</c>.</summary>
    public INamedTypeSymbol? AgentChatClientExtensions { get; }

    /// <summary>Anthropic's request, whose <c>System</c> leads the request.</summary>
    public INamedTypeSymbol? AnthropicMessageCreateParams { get; }

    /// <summary>Anthropic's text block, the element of a system prompt given as blocks.</summary>
    public INamedTypeSymbol? AnthropicTextBlock { get; }

    /// <summary>Semantic Kernel's <c>InvokePromptAsync</c> and <c>CreateFunctionFromPrompt</c> extensions.</summary>
    public INamedTypeSymbol? KernelExtensions { get; }

    /// <summary>Semantic Kernel's <c>KernelFunctionFactory.CreateFromPrompt</c>.</summary>
    public INamedTypeSymbol? KernelFunctionFactory { get; }

    /// <summary>Whether a type whose properties lead a request (instructions, system prompt, tools) is referenced.</summary>
    public bool HasOptionsTypes => ChatOptions is not null || ResponseOptions is not null || AnthropicMessageCreateParams is not null;

    /// <summary>Whether <paramref name="type"/> holds a tool list that is sent ahead of the conversation.</summary>
    public bool HasToolList(INamedTypeSymbol type)
        => (ChatOptions is not null && type.IsOrDerivesFrom(ChatOptions))
            || SymbolEqualityComparer.Default.Equals(type, ChatCompletionOptions)
            || SymbolEqualityComparer.Default.Equals(type, ResponseOptions);

    /// <summary>Whether an API that takes instructions or a prompt template as an argument is referenced.</summary>
    public bool HasPromptArguments => ChatClientAgent is not null || AgentChatClientExtensions is not null || KernelExtensions is not null || KernelFunctionFactory is not null;

    /// <summary>Whether any message type is referenced at all.</summary>
    public bool HasMessageTypes
        => ChatMessage is not null || ChatHistory is not null || ChatMessageContent is not null || OpenAIChatMessage is not null;
}
