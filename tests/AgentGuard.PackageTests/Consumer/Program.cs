using AgentGuard;
using AgentGuard.Agents;
using Consumer;
using Microsoft.Agents.AI;
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

// The same generated agent as a Microsoft Agent Framework agent (AgentGuard.Agents).
AIAgent framework = new WeatherAgent(new WeatherService()).AsAIAgent(new ScriptedClient(), new AgentGuardOptions { ModelId = "gpt-4o-mini" });
var frameworkResponse = await framework.RunAsync("What will the weather be in Oslo tomorrow?");
Console.WriteLine($"FRAMEWORK_STATUS={frameworkResponse.GetAgentGuardReport()!.Status}");
Console.WriteLine($"FRAMEWORK_ANSWER={frameworkResponse.Text}");

// A ChatClientAgent over a model that never stops calling tools: the guard stops it at MaxSteps with a wrap-up answer.
var forecaster = new RunawayClient().AsGuardedAIAgent(
    new ChatClientAgentOptions { Name = "forecaster", ChatOptions = new ChatOptions { Tools = new WeatherAgent(new WeatherService()).AgentTools, MaxOutputTokens = 300 } },
    o =>
    {
        o.ModelId = "gpt-4o-mini";
        o.Budget = new BudgetPolicy { MaxSteps = 3, MaxOutputTokensPerStep = 300 };
    });
var stopped = await forecaster.RunAsync("Will it rain in Oslo?");
var stopReport = stopped.GetAgentGuardReport()!;
Console.WriteLine($"WRAPUP_STATUS={stopReport.Status}");
Console.WriteLine($"WRAPUP_STEPS={stopReport.Ledger.Steps}");
Console.WriteLine($"WRAPUP_ANSWER={stopped.Text}");

internal sealed class RunawayClient : IChatClient
{
    private int turn;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatResponse response = options?.ToolMode == ChatToolMode.None
            ? new(new ChatMessage(ChatRole.Assistant, "Probably dry, from the forecasts so far."))
            : new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c" + ++turn, "GetForecast", new Dictionary<string, object?> { ["city"] = "Oslo", ["days"] = turn })]));
        response.Usage = new UsageDetails { InputTokenCount = 500, OutputTokenCount = 20 };
        return Task.FromResult(response);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The sample agent does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

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
