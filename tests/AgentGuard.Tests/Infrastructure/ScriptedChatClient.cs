using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Infrastructure;

/// <summary>A model that answers each request from a script and records every request.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<int, ScriptedRequest, ChatResponse> script;

    public ScriptedChatClient(Func<int, ScriptedRequest, ChatResponse> script, string? defaultModelId = "gpt-4o")
    {
        this.script = script;
        DefaultModelId = defaultModelId;
    }

    public ScriptedChatClient(params ChatResponse[] responses)
        : this((turn, _) => turn <= responses.Length ? responses[turn - 1] : throw new InvalidOperationException($"The script has no turn {turn}."))
    {
    }

    public string? DefaultModelId { get; }

    public List<ScriptedRequest> Requests { get; } = new();

    /// <summary>Throw this from the script's turn instead of answering.</summary>
    public Exception? FailWith { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new ScriptedRequest(messages.ToList(), options?.Clone());
        Requests.Add(request);
        if (FailWith is { } failure)
        {
            throw failure;
        }

        var response = script(Requests.Count, request);
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", defaultModelId: DefaultModelId) : null;

    public void Dispose()
    {
    }

    public static ChatResponse Answer(string text, long? input = 100, long? output = 10, long? cached = null, string? model = null)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            Usage = input is null && output is null ? null : new UsageDetails { InputTokenCount = input, OutputTokenCount = output, CachedInputTokenCount = cached },
        };

    public static ChatResponse Calls(long? input, long? output, params (string Name, Dictionary<string, object?>? Arguments)[] calls)
    {
        var contents = new List<AIContent>();
        var i = 0;
        foreach (var (name, arguments) in calls)
        {
            contents.Add(new FunctionCallContent("call" + (++i), name, arguments));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            Usage = input is null && output is null ? null : new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        };
    }

    public static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs)
        => pairs.ToDictionary(p => p.Key, p => p.Value);
}

/// <summary>One request the scripted model received.</summary>
public sealed record ScriptedRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options);
