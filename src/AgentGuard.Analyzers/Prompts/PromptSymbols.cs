using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>The message types AG0003 reads, resolved once per compilation (<see langword="null"/> when not referenced).</summary>
internal sealed class PromptSymbols
{
    public PromptSymbols(Compilation compilation, AgentGuardSymbols symbols)
    {
        ChatMessage = symbols.ChatMessage;
        ChatOptions = symbols.ChatOptions;
        ChatHistory = symbols.ChatHistory;
        ChatMessageContent = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatMessageContent");
        OpenAIChatMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatMessage");
        OpenAISystemMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.SystemChatMessage");
        OpenAIDeveloperMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.DeveloperChatMessage");
        OpenAIUserMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.UserChatMessage");
        OpenAIAssistantMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.AssistantChatMessage");
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
