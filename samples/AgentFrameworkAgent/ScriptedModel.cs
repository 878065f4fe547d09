using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentFrameworkAgent;

/// <summary>
/// An offline model for both agents of the sample, so it runs with no key and no network. It answers like a model
/// would from what each request carries: the planner (which has the flight desk as a tool) asks the desk once and
/// answers; the desk searches once and answers; a wrap-up request (tool calls turned off) gets the best answer so
/// far. A runaway model never stops calling tools. Every answer reports the usage a provider would.
/// </summary>
public sealed class ScriptedModel : IChatClient
{
    private readonly bool runaway;
    private int calls;

    /// <summary>Creates the model; a <paramref name="runaway"/> one calls a tool on every request it may.</summary>
    public ScriptedModel(bool runaway = false) => this.runaway = runaway;

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Respond(messages, options));
    }

    private ChatResponse Respond(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var sent = messages.ToList();
        var input = 600 + (sent.Sum(m => m.Text.Length + 40) / 4);
        var tools = options?.Tools?.Select(t => t.Name).ToList() ?? [];
        var results = sent.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();
        calls++;

        if (options?.ToolMode == ChatToolMode.None)
        {
            return Answer(tools.Contains("search_flights")
                ? "Best found so far: FR 1882 at 16:20 for 96 EUR; I could not compare more dates."
                : "Best plan so far: fly FR 1882 (LIS→BER, 16:20, 96 EUR) on 14 March. Hotel and return were not checked before the budget ran out.", input, 40, options);
        }

        if (tools.Contains("search_flights"))
        {
            return runaway || results == 0
                ? Call("search_flights", new() { ["from"] = "LIS", ["to"] = "BER", ["date"] = "2027-03-14" }, input, options)
                : Answer("Three flights: TP 532 07:05 189 EUR, LH 1169 11:40 214 EUR, FR 1882 16:20 96 EUR. Cheapest: FR 1882.", input, 45, options);
        }

        return runaway || results == 0
            ? Call("FlightDesk", new() { ["query"] = "Flights from LIS to BER on 2027-03-14, cheapest first." }, input, options)
            : Answer("Book FR 1882 from Lisbon to Berlin on 14 March at 16:20 for 96 EUR — the cheapest of three direct flights.", input, 35, options);
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
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", defaultModelId: "gpt-4o") : null;

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private ChatResponse Call(string tool, Dictionary<string, object?> arguments, long input, ChatOptions? options)
        => new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-" + calls, tool, arguments)]))
        {
            ModelId = options?.ModelId,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = 30, TotalTokenCount = input + 30 },
        };

    private static ChatResponse Answer(string text, long input, long output, ChatOptions? options)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = options?.ModelId,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };
}
