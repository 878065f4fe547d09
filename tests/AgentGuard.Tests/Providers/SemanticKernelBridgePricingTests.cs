using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace AgentGuard.Tests.Providers;

public sealed class SemanticKernelBridgePricingTests
{
    private const string Model = "o4-mini";

    private static readonly ModelPrice O4Mini = new()
    {
        InputPerMillionUsd = 1.10m,
        CachedInputPerMillionUsd = 0.275m,
        OutputPerMillionUsd = 4.40m,
    };

    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "What is the invoice total?")];

    private static readonly ChatOptions Capped = new() { MaxOutputTokens = 2_048 };

    [Fact]
    public async Task ChatCompletionsThroughTheOpenAIAdapter_CachedAndReasoningTokensArePriced()
    {
        var handler = new CannedHttpHandler().Json(OpenAIFixtures.CachedReasoningChatCompletion);
        var guard = Guard(OpenAIResponsesAdapterPricingTests.OpenAIClientOver(handler).GetChatClient(Model).AsIChatClient());

        using var run = guard.BeginRun();
        await guard.GetResponseAsync(Question, Capped);

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.EndsWith("/chat/completions", handler.RequestUris[0]!.AbsolutePath);
        Assert.False(step.IsEstimated);
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(((1_104 * 1.10m) + (4_096 * 0.275m) + (900 * 4.40m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task SemanticKernelServiceAsChatClient_UsageLeftInTheMessageProperties_IsPricedFromTheProviderCounts()
    {
        var handler = new CannedHttpHandler().Json(OpenAIFixtures.CachedReasoningChatCompletion);
        var service = new OpenAIChatCompletionService(Model, OpenAIResponsesAdapterPricingTests.OpenAIClientOver(handler));
        var bridge = service.AsChatClient();

        var unguarded = await bridge.GetResponseAsync(Question, Capped);
        Assert.Null(unguarded.Usage);
        Assert.DoesNotContain(unguarded.Messages.SelectMany(m => m.Contents), c => c is UsageContent);
        var stranded = Assert.IsType<ChatTokenUsage>(unguarded.Messages[^1].AdditionalProperties!["Usage"]);
        Assert.Equal(5_200, stranded.InputTokenCount);
        Assert.Equal(4_096, stranded.InputTokenDetails.CachedTokenCount);
        Assert.Equal(640, stranded.OutputTokenDetails.ReasoningTokenCount);

        handler.Json(OpenAIFixtures.CachedReasoningChatCompletion);
        var guard = Guard(bridge);
        using var run = guard.BeginRun();
        var response = await guard.GetResponseAsync(Question, Capped);

        Assert.Equal("The invoice total is 1,284.50 EUR including VAT.", response.Text);
        Assert.EndsWith("/chat/completions", handler.RequestUris[1]!.AbsolutePath);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.False(step.IsEstimated);
        Assert.Equal(0, run.Ledger.EstimatedSteps);
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(((1_104 * 1.10m) + (4_096 * 0.275m) + (900 * 4.40m)) / 1_000_000m, step.CostUsd);
        Assert.Equal(4_096, run.Ledger.CachedInputTokens);
        Assert.Equal(640, run.Ledger.ReasoningTokens);
    }

    [Theory]
    [InlineData("5200 tokens")]
    [InlineData(null)]
    public async Task SemanticKernelServiceAsChatClient_UsageOfAnUnknownShape_LeavesTheStepEstimatedAndNeverFree(string? text)
    {
        var handler = new CannedHttpHandler().Json(OpenAIFixtures.CachedReasoningChatCompletion);
        var service = new OpenAIChatCompletionService(Model, OpenAIResponsesAdapterPricingTests.OpenAIClientOver(handler));
        object unknown = text is null ? new { Tokens = 5_200, Cached = 4_096 } : text;
        var guard = Guard(new UsageReplacingClient(service.AsChatClient(), unknown));

        using var run = guard.BeginRun();
        var response = await guard.GetResponseAsync(Question, Capped);

        Assert.Same(unknown, response.Messages[^1].AdditionalProperties!["Usage"]);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.True(step.IsPriced);
        Assert.Equal(1, run.Ledger.EstimatedSteps);
        Assert.True(step.Usage.InputTokens > 0);
        Assert.True(step.Usage.OutputTokens > 0);
        Assert.Equal(0, step.Usage.CachedInputTokens);
        Assert.Equal(0, step.Usage.ReasoningTokens);
        Assert.True(step.CostUsd > 0);
        Assert.Equal(O4Mini.CostOf(step.Usage), step.CostUsd);
    }

    [Fact]
    public async Task StreamedChatCompletionsThroughTheOpenAIAdapter_UsageFromTheFinalChunkIsPriced()
    {
        var handler = new CannedHttpHandler().EventStream(OpenAIFixtures.CachedReasoningChatCompletionStream);
        var guard = Guard(OpenAIResponsesAdapterPricingTests.OpenAIClientOver(handler).GetChatClient(Model).AsIChatClient());

        using var run = guard.BeginRun();
        var text = string.Concat(await guard.GetStreamingResponseAsync(Question, Capped).Select(u => u.Text).ToListAsync());

        Assert.Equal("The invoice total is 1,284.50 EUR including VAT.", text);
        Assert.Contains("\"include_usage\":true", handler.RequestBodies[0]);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.False(step.IsEstimated);
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(((1_104 * 1.10m) + (4_096 * 0.275m) + (900 * 4.40m)) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task StreamedSemanticKernelServiceAsChatClient_UsageLeftInTheFinalUpdateProperties_IsPricedFromTheProviderCounts()
    {
        var handler = new CannedHttpHandler().EventStream(OpenAIFixtures.CachedReasoningChatCompletionStream);
        var service = new OpenAIChatCompletionService(Model, OpenAIResponsesAdapterPricingTests.OpenAIClientOver(handler));
        var guard = Guard(service.AsChatClient());

        using var run = guard.BeginRun();
        var updates = await guard.GetStreamingResponseAsync(Question, Capped).ToListAsync();

        Assert.Equal("The invoice total is 1,284.50 EUR including VAT.", string.Concat(updates.Select(u => u.Text)));
        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is UsageContent);
        Assert.Contains(updates, u => u.AdditionalProperties?.TryGetValue("Usage", out var usage) == true && usage is ChatTokenUsage { InputTokenCount: 5_200 });
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.False(step.IsEstimated);
        Assert.Equal(0, run.Ledger.EstimatedSteps);
        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), step.Usage);
        Assert.Equal(((1_104 * 1.10m) + (4_096 * 0.275m) + (900 * 4.40m)) / 1_000_000m, step.CostUsd);
    }

    private static BudgetChatClient Guard(IChatClient inner)
        => new(inner, new AgentGuardOptions
        {
            ModelId = Model,
            Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 2_048 },
            Prices = new PriceTable().Set(Model, O4Mini),
        });

    private sealed class UsageReplacingClient(IChatClient inner, object usage) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken);
            foreach (var message in response.Messages)
            {
                if (message.AdditionalProperties?.ContainsKey("Usage") == true)
                {
                    message.AdditionalProperties["Usage"] = usage;
                }
            }

            return response;
        }
    }
}
