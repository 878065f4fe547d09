using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard.Testing;

/// <summary>
/// Passes every call to the inner client and records the exchange in a <see cref="Cassette"/>: the request's
/// messages (text, reasoning, function calls with their arguments, function results), model, output cap, tools with
/// their schemas, tool mode and instructions, and the response's messages, model, finish reason and usage.
/// Streaming calls are recorded once the stream has been read to its end.
/// </summary>
/// <remarks>Place it next to the model (innermost), so it records what the provider was sent. Thread-safe.</remarks>
public sealed class RecordingChatClient : DelegatingChatClient
{
    /// <summary>Records the calls made through <paramref name="innerClient"/> in <paramref name="cassette"/>.</summary>
    public RecordingChatClient(IChatClient innerClient, Cassette cassette)
        : base(innerClient)
    {
        Cassette = cassette ?? throw new ArgumentNullException(nameof(cassette));
    }

    /// <summary>Records the calls made through <paramref name="innerClient"/> in a new cassette.</summary>
    public RecordingChatClient(IChatClient innerClient)
        : this(innerClient, new Cassette())
    {
    }

    /// <summary>The cassette the calls are recorded in.</summary>
    public Cassette Cassette { get; }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var sent = messages as IList<ChatMessage> ?? messages.ToList();
        var request = CassetteConversion.ToRequest(sent, options);
        var response = await base.GetResponseAsync(sent, options, cancellationToken).ConfigureAwait(false);
        Cassette.Add(new CassetteInteraction { Request = request, Response = CassetteConversion.ToResponse(response) });
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sent = messages as IList<ChatMessage> ?? messages.ToList();
        var request = CassetteConversion.ToRequest(sent, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(sent, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        Cassette.Add(new CassetteInteraction { Request = request, Response = CassetteConversion.ToResponse(updates.ToChatResponse()) });
    }
}
