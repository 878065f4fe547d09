using System.ComponentModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentGuard.Testing.Tests;

/// <summary>A two-step support run (look the order up, then answer) against a scripted model.</summary>
internal static class SupportRun
{
    public const string Model = "model-a";
    public const string SystemPrompt = "You are the support agent of Contoso. Answer from the order system only.";

    public static PriceTable Prices { get; } = new PriceTable()
        .Set("model-a", new ModelPrice { InputPerMillionUsd = 1m, CachedInputPerMillionUsd = 0.1m, OutputPerMillionUsd = 4m })
        .Set("model-b", new ModelPrice { InputPerMillionUsd = 3m, CachedInputPerMillionUsd = 0.3m, OutputPerMillionUsd = 15m });

    public static AIFunction LookupOrder { get; } = AIFunctionFactory.Create(
        ([Description("The order number.")] string orderId) => "{\"status\":\"shipped\"}",
        "lookup_order",
        "Finds an order by its number.");

    public static ChatOptions Options(AIFunction? tool = null)
        => new() { ModelId = Model, MaxOutputTokens = 500, Tools = [tool ?? LookupOrder], ToolMode = ChatToolMode.Auto };

    /// <summary>Runs the two steps; the order number varies the conversation per task.</summary>
    public static async Task<IReadOnlyList<ChatResponse>> RunAsync(IChatClient client, string orderId = "42", string systemPrompt = SystemPrompt, ChatOptions? options = null, bool streaming = false)
    {
        options ??= Options();
        List<ChatMessage> messages =
        [
            new(ChatRole.System, systemPrompt),
            new(ChatRole.User, $"Where is order {orderId}?"),
        ];

        var first = await AskAsync(client, messages, options, streaming);
        messages.AddRange(first.Messages);
        var call = first.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>().Single();
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, $"{{\"order\":\"{orderId}\",\"status\":\"shipped\"}}")]));
        var second = await AskAsync(client, messages, options, streaming);
        return [first, second];
    }

    /// <summary>A model that looks the order up, then answers; usage grows with the order number so tasks differ.</summary>
    public static IChatClient ScriptedModelFor(string orderId = "42") => new ScriptedModel(orderId);

    private static async Task<ChatResponse> AskAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options, bool streaming)
        => streaming
            ? await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()
            : await client.GetResponseAsync(messages, options);

    private sealed class ScriptedModel(string orderId) : IChatClient
    {
        private int step;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var size = int.Parse(orderId, System.Globalization.CultureInfo.InvariantCulture);
            var response = Interlocked.Increment(ref step) == 1
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "lookup_order", new Dictionary<string, object?> { ["orderId"] = orderId })]))
                {
                    FinishReason = ChatFinishReason.ToolCalls,
                    Usage = new UsageDetails { InputTokenCount = 1000 + size, CachedInputTokenCount = 0, OutputTokenCount = 20, TotalTokenCount = 1020 + size },
                }
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, $"Order {orderId} ships tomorrow."))
                {
                    FinishReason = ChatFinishReason.Stop,
                    Usage = new UsageDetails
                    {
                        InputTokenCount = 1100 + size,
                        CachedInputTokenCount = 900,
                        OutputTokenCount = 40 + size,
                        ReasoningTokenCount = 10,
                        TotalTokenCount = 1140 + (2 * size),
                        AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CacheCreationInputTokens"] = 50 },
                    },
                };
            response.ModelId = Model + "-2025-01-01";
            return Task.FromResult(response);
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
