using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace SupportAgent;

/// <summary>
/// A model that replays a recorded conversation, so the sample runs on a machine with no key and no network.
/// It answers each request with the next scripted turn, reports the usage a provider would, and echoes the model
/// it was asked for — so the budget's switch to the fallback model shows in the ledger.
/// </summary>
public sealed class ReplayChatClient : IChatClient
{
    private readonly Func<int, ChatOptions?, ChatResponse> script;
    private int turn;

    /// <summary>Creates a replay of <paramref name="script"/>, called with the turn number and the request's options.</summary>
    public ReplayChatClient(Func<int, ChatOptions?, ChatResponse> script)
    {
        this.script = script;
    }

    /// <summary>The options of every request, in order.</summary>
    public List<ChatOptions?> Requests { get; } = new();

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add(options);
        var response = script(++turn, options);
        response.ModelId ??= options?.ModelId;
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("replay", defaultModelId: "gpt-4o") : null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>A turn in which the model calls tools.</summary>
    public static ChatResponse ToolCalls(long input, long cached, long output, params FunctionCallContent[] calls)
        => new(new ChatMessage(ChatRole.Assistant, new List<AIContent>(calls)))
        {
            Usage = new UsageDetails { InputTokenCount = input, CachedInputTokenCount = cached, OutputTokenCount = output },
            FinishReason = ChatFinishReason.ToolCalls,
        };

    /// <summary>A turn in which the model answers.</summary>
    public static ChatResponse Answer(long input, long cached, long output, string text)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = input, CachedInputTokenCount = cached, OutputTokenCount = output },
            FinishReason = ChatFinishReason.Stop,
        };
}
