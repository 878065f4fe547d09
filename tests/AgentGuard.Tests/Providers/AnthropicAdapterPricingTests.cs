using System.ComponentModel;
using Anthropic;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Providers;

public sealed class AnthropicAdapterPricingTests
{
    private const string Model = "claude-sonnet-4-5";

    private static readonly ModelPrice Sonnet = new()
    {
        InputPerMillionUsd = 3m,
        CachedInputPerMillionUsd = 0.30m,
        CacheWritePerMillionUsd = 3.75m,
        OutputPerMillionUsd = 15m,
    };

    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "When does the contract renew?")];

    private static readonly ChatOptions Capped = new() { MaxOutputTokens = 1_024 };

    [Fact]
    public async Task CachedResponse_UncachedInputCacheReadsAndCacheWrites_AreEachPricedAtTheirOwnRate()
    {
        var handler = new CannedHttpHandler().Json(AnthropicFixtures.CachedMessage);
        var guard = Guard(handler);

        using var run = guard.BeginRun();
        var response = await guard.GetResponseAsync(Question, Capped);

        Assert.StartsWith("The contract renews", response.Text);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(uncachedInputTokens: 21, cachedInputTokens: 3_400, cacheWriteTokens: 1_200, outputTokens: 87, reasoningTokens: 0), step.Usage);
        Assert.Equal(((21 * 3m) + (3_400 * 0.30m) + (1_200 * 3.75m) + (87 * 15m)) / 1_000_000m, step.CostUsd);
        Assert.Equal(4_621, run.Ledger.InputTokens);
        Assert.Equal(3_400, run.Ledger.CachedInputTokens);
        Assert.Equal(1_200, run.Ledger.CacheWriteTokens);
        Assert.Equal(21, run.Ledger.UncachedInputTokens);
        Assert.Equal("claude-sonnet-4-5-20250929", step.ModelId);
        Assert.Contains("/v1/messages", handler.RequestUris[0]!.AbsolutePath);
    }

    [Fact]
    public async Task StreamedResponse_WithOutputOnlyInFinalDelta_IsPricedLikeTheSameNonStreamedResponse()
    {
        var handler = new CannedHttpHandler().EventStream(AnthropicFixtures.CachedMessageStream);
        var guard = Guard(handler);

        using var run = guard.BeginRun();
        var text = string.Concat(await guard.GetStreamingResponseAsync(Question, Capped).Select(u => u.Text).ToListAsync());

        Assert.Equal("The contract renews on 1 March unless either party gives 60 days' notice.", text);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(21, 3_400, 1_200, 87, 0), step.Usage);
        Assert.Equal(((21 * 3m) + (3_400 * 0.30m) + (1_200 * 3.75m) + (87 * 15m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task StreamedResponse_WithCumulativeUsageInFinalDelta_IsPricedLikeTheSameNonStreamedResponse()
    {
        var handler = new CannedHttpHandler().EventStream(AnthropicFixtures.CachedMessageStreamWithCumulativeDelta);
        var guard = Guard(handler);

        using var run = guard.BeginRun();
        await foreach (var update in guard.GetStreamingResponseAsync(Question, Capped))
        {
            Assert.NotNull(update);
        }

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(21, 3_400, 1_200, 87, 0), step.Usage);
        Assert.Equal(((21 * 3m) + (3_400 * 0.30m) + (1_200 * 3.75m) + (87 * 15m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task BetaMessagesAdapter_CachedResponse_IsPricedLikeTheMessagesAdapter()
    {
        var handler = new CannedHttpHandler().Json(AnthropicFixtures.CachedMessage);
        var guard = new BudgetChatClient(
            new AnthropicClient { ApiKey = "sk-ant-test", HttpClient = new HttpClient(handler), MaxRetries = 0 }.Beta.AsIChatClient(Model),
            new AgentGuardOptions
            {
                Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 1_024 },
                Prices = new PriceTable().Set(Model, Sonnet),
            });

        using var run = guard.BeginRun();
        await guard.GetResponseAsync(Question, Capped);

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(21, 3_400, 1_200, 87, 0), step.Usage);
        Assert.Equal(((21 * 3m) + (3_400 * 0.30m) + (1_200 * 3.75m) + (87 * 15m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task ToolUseRoundTrip_EachModelCallIsAStep_AndTheToolResultIsCountedButNotBilledTwice()
    {
        var handler = new CannedHttpHandler().Json(AnthropicFixtures.ToolUseMessage).Json(AnthropicFixtures.AnswerAfterToolResult);
        var weather = AIFunctionFactory.Create(([Description("The city")] string city) => $"{city}: 18 degrees, cloudy, wind 12 km/h from the west", "get_weather", "Current weather in a city.");
        var guard = new AnthropicClient { ApiKey = "sk-ant-test", HttpClient = new HttpClient(handler), MaxRetries = 0 }
            .AsIChatClient(Model)
            .AsBuilder()
            .UseFunctionInvocation()
            .UseAgentGuard(o =>
            {
                o.Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 1_024 };
                o.Prices = new PriceTable().Set(Model, Sonnet);
            })
            .Build();
        var budget = guard.GetService<BudgetChatClient>()!;

        using var run = budget.BeginRun();
        var response = await guard.GetResponseAsync([new(ChatRole.User, "What is the weather in Paris?")], new ChatOptions { MaxOutputTokens = 1_024, Tools = [weather] });

        Assert.Equal("It is 18 degrees and cloudy in Paris.", response.Messages[^1].Text);
        Assert.Equal(2, handler.RequestBodies.Count);
        Assert.Contains("\"tool_result\"", handler.RequestBodies[1]);
        var steps = run.Ledger.GetSteps();
        Assert.Equal(2, steps.Count);
        Assert.Equal(new TokenUsage(612, 2_048, 0, 74, 0), steps[0].Usage);
        Assert.Equal(612 + 2_048, steps[0].Usage.InputTokens);
        Assert.Equal(0, steps[0].Usage.ToolResultTokens);
        Assert.Equal(731, steps[1].Usage.UncachedInputTokens);
        Assert.Equal(2_048, steps[1].Usage.CachedInputTokens);
        Assert.Equal(40, steps[1].Usage.OutputTokens);
        Assert.True(steps[1].Usage.ToolResultTokens > 0);
        Assert.False(steps[1].IsEstimated);
        Assert.Equal(((612 * 3m) + (2_048 * 0.30m) + (74 * 15m)) / 1_000_000m, steps[0].CostUsd);
        Assert.Equal(((731 * 3m) + (2_048 * 0.30m) + (40 * 15m)) / 1_000_000m, steps[1].CostUsd);
        Assert.Equal(steps[0].CostUsd + steps[1].CostUsd, run.Ledger.TotalCostUsd);
        Assert.Equal(steps[1].Usage.ToolResultTokens, run.Ledger.ToolResultTokens);
    }

    private static BudgetChatClient Guard(CannedHttpHandler handler)
        => new(
            new AnthropicClient { ApiKey = "sk-ant-test", HttpClient = new HttpClient(handler), MaxRetries = 0 }.AsIChatClient(Model),
            new AgentGuardOptions
            {
                Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 1_024 },
                Prices = new PriceTable().Set(Model, Sonnet),
            });
}
