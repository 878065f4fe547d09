using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0002 — a model call without an output-token cap. The options set a temperature but no
/// <see cref="ChatOptions.MaxOutputTokens"/>, so one rambling answer is billed up to the model's output limit,
/// at three to five times the input price per token.
/// </summary>
public sealed class ProductDescriptionWriter(IChatClient chatClient)
{
    public async Task<string> WriteAsync(string productName, string features, CancellationToken cancellationToken)
    {
        var options = new ChatOptions { Temperature = 0.7f };

        var response = await chatClient.GetResponseAsync(
            [
                new ChatMessage(ChatRole.System, "You write product descriptions for an outdoor-gear web shop. Friendly, concrete, no superlatives."),
                new ChatMessage(ChatRole.User, productName + ": " + features),
            ],
            options, // AG0002: options without MaxOutputTokens
            cancellationToken);

        return response.Text;
    }
}
