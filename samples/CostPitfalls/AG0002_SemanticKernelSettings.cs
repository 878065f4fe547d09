using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace CostPitfalls;

/// <summary>
/// AG0002 with Semantic Kernel — connector settings that turn on automatic tool calling but set no
/// <see cref="OpenAIPromptExecutionSettings.MaxTokens"/>: the most common Semantic Kernel shape, and every step of the
/// tool loop it starts is uncapped.
/// </summary>
public sealed class OrderAssistant(IChatCompletionService chat, Kernel kernel)
{
    public async Task<string?> AnswerAsync(ChatHistory history, CancellationToken cancellationToken)
    {
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        var reply = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken); // AG0002: no MaxTokens
        return reply.Content;
    }
}
