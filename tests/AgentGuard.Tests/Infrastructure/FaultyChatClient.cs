using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Infrastructure;

/// <summary>
/// A model whose calls are cut short: each request runs <see cref="Respond"/> (non-streaming) or streams
/// <see cref="Updates"/> and then does what <see cref="AfterUpdates"/> says, so tests can fail, time out, cancel or
/// abandon a call at any point.
/// </summary>
public sealed class FaultyChatClient : IChatClient
{
    public FaultyChatClient(string? defaultModelId = "gpt-4o") => DefaultModelId = defaultModelId;

    public string? DefaultModelId { get; }

    /// <summary>What a non-streaming request does; waits until cancelled by default.</summary>
    public Func<CancellationToken, Task<ChatResponse>> Respond { get; set; } = async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    };

    /// <summary>The updates a stream sends before <see cref="AfterUpdates"/> runs.</summary>
    public List<ChatResponseUpdate> Updates { get; } = new();

    /// <summary>What a stream does after its updates: nothing (the stream ends) unless set.</summary>
    public Func<CancellationToken, Task>? AfterUpdates { get; set; }

    /// <summary>How many requests were sent.</summary>
    public int Requests { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Requests++;
        return Respond(cancellationToken);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests++;
        foreach (var update in Updates)
        {
            await Task.Yield();
            yield return update;
        }

        if (AfterUpdates is { } after)
        {
            await after(cancellationToken);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("faulty", defaultModelId: DefaultModelId) : null;

    public void Dispose()
    {
    }

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text);

    public static ChatResponseUpdate Call(string name) => new(ChatRole.Assistant, [new FunctionCallContent("call1", name, new Dictionary<string, object?> { ["id"] = "A-1" })]);
}
