using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

#pragma warning disable OPENAI001 // The Responses API client is marked experimental by the OpenAI SDK.

namespace AgentGuard.Tests.Providers;

public sealed class OpenAIResponsesAdapterPricingTests
{
    private const string Model = "o4-mini";

    private static readonly ModelPrice O4Mini = new()
    {
        InputPerMillionUsd = 1.10m,
        CachedInputPerMillionUsd = 0.275m,
        OutputPerMillionUsd = 4.40m,
    };

    private static readonly decimal ExpectedCost = ((1_104 * 1.10m) + (4_096 * 0.275m) + (260 * 4.40m) + (640 * 4.40m)) / 1_000_000m;

    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "What is the invoice total?")];

    private static readonly ChatOptions Capped = new() { MaxOutputTokens = 2_048 };

    [Fact]
    public async Task Response_CachedInputIsSplitFromUncached_AndReasoningIsPartOfOutput()
    {
        var handler = new CannedHttpHandler().Json(OpenAIFixtures.ReasoningResponse);
        var guard = Guard(handler);

        using var run = guard.BeginRun();
        var response = await guard.GetResponseAsync(Question, Capped);

        Assert.Equal("The invoice total is 1,284.50 EUR including VAT.", response.Text);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(uncachedInputTokens: 1_104, cachedInputTokens: 4_096, cacheWriteTokens: 0, outputTokens: 900, reasoningTokens: 640), step.Usage);
        Assert.Equal(260, step.Usage.VisibleOutputTokens);
        Assert.Equal(6_100, step.Usage.TotalTokens);
        Assert.Equal(ExpectedCost, step.CostUsd);
        Assert.Equal(4_096, run.Ledger.CachedInputTokens);
        Assert.Equal(640, run.Ledger.ReasoningTokens);
        Assert.Equal("o4-mini-2025-04-16", step.ModelId);
        Assert.EndsWith("/responses", handler.RequestUris[0]!.AbsolutePath);
    }

    [Fact]
    public async Task StreamedResponse_UsageFromResponseCompleted_IsPricedLikeTheNonStreamedResponse()
    {
        var handler = new CannedHttpHandler().EventStream(OpenAIFixtures.ReasoningResponseStream);
        var guard = Guard(handler);

        using var run = guard.BeginRun();
        var text = string.Concat(await guard.GetStreamingResponseAsync(Question, Capped).Select(u => u.Text).ToListAsync());

        Assert.Equal("The invoice total is 1,284.50 EUR including VAT.", text);
        Assert.Contains("\"stream\":true", handler.RequestBodies[0]);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(ExpectedCost, step.CostUsd);
    }

    [Fact]
    public async Task Response_ThroughTheBuilder_RecordsTheSameStepAsTheGuardBuiltDirectly()
    {
        var handler = new CannedHttpHandler().Json(OpenAIFixtures.ReasoningResponse);
        var client = OpenAIClientOver(handler)
            .GetResponsesClient()
            .AsIChatClient(Model)
            .AsBuilder()
            .UseAgentGuard(o =>
            {
                o.Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 2_048 };
                o.Prices = new PriceTable().Set(Model, O4Mini);
            })
            .Build();
        var guard = client.GetService<BudgetChatClient>()!;

        using var run = guard.BeginRun();
        await client.GetResponseAsync(Question, Capped);

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(ExpectedCost, run.Ledger.TotalCostUsd);
    }

    internal static OpenAIClient OpenAIClientOver(CannedHttpHandler handler)
        => new(new ApiKeyCredential("sk-test"), new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(new HttpClient(handler)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static BudgetChatClient Guard(CannedHttpHandler handler)
        => new(
            OpenAIClientOver(handler).GetResponsesClient().AsIChatClient(Model),
            new AgentGuardOptions
            {
                Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 2_048 },
                Prices = new PriceTable().Set(Model, O4Mini),
            });
}
