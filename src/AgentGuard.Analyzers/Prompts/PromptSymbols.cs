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

    /// <summary>Whether any message type is referenced at all.</summary>
    public bool HasMessageTypes
        => ChatMessage is not null || ChatHistory is not null || ChatMessageContent is not null || OpenAIChatMessage is not null;
}
