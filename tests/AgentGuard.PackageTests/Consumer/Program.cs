using AgentGuard;
using Consumer;
using Microsoft.Extensions.AI;

var weather = new WeatherService();
var agent = new WeatherAgent(weather);
var result = await agent.RunAsync(
    new ScriptedClient(),
    [new ChatMessage(ChatRole.User, "What will the weather be in Oslo tomorrow?")],
    new AgentGuardOptions { ModelId = "gpt-4o-mini" });

Console.WriteLine($"STATUS={result.Status}");
Console.WriteLine($"STEPS={result.Ledger.Steps}");
Console.WriteLine($"TOOLCALLS={result.Ledger.ToolCalls}");
Console.WriteLine($"CACHEHITS={result.Ledger.Tools.GetForecast.CacheHits}");
Console.WriteLine($"LOOKUPS={weather.Lookups}");
Console.WriteLine($"COST={result.Ledger.TotalCostUsd.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
Console.WriteLine($"ANSWER={result.Text}");

public sealed class WeatherService
{
    public int Lookups { get; private set; }

    public Forecast Forecast(string city, int days)
    {
        Lookups++;
        return new Forecast(city, 14, "cloudy");
    }
}

internal sealed class ScriptedClient : IChatClient
{
    private int turn;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options?.MaxOutputTokens != 300)
        {
            throw new InvalidOperationException("The generated loop did not send the output cap.");
        }

        ChatResponse response = ++turn switch
        {
            1 => new ChatResponse(new ChatMessage(ChatRole.Assistant,
                [
                    new FunctionCallContent("1", "GetForecast", new Dictionary<string, object?> { ["city"] = "Oslo", ["days"] = 1 }),
                    new FunctionCallContent("2", "GetForecast", new Dictionary<string, object?> { ["days"] = 1, ["city"] = "Oslo" }),
                ]))
            { Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 50 } },
            _ => new ChatResponse(new ChatMessage(ChatRole.Assistant, "Cloudy, 14 degrees."))
            { Usage = new UsageDetails { InputTokenCount = 1200, CachedInputTokenCount = 1000, OutputTokenCount = 20 } },
        };
        response.ModelId = options.ModelId;
        return Task.FromResult(response);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The sample agent does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
