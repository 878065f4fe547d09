using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Pricing;

public sealed class TokenUsageTests
{
    [Fact]
    public void FromUsageDetails_CachedInput_IsPartOfInputCount()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails { InputTokenCount = 10_000, CachedInputTokenCount = 8_000, OutputTokenCount = 300, ReasoningTokenCount = 120 })!.Value;

        Assert.Equal(2_000, usage.UncachedInputTokens);
        Assert.Equal(8_000, usage.CachedInputTokens);
        Assert.Equal(10_000, usage.InputTokens);
        Assert.Equal(300, usage.OutputTokens);
        Assert.Equal(120, usage.ReasoningTokens);
        Assert.Equal(180, usage.VisibleOutputTokens);
        Assert.False(usage.IsEstimated);
    }

    [Fact]
    public void FromUsageDetails_AnthropicCacheWrites_ComeFromAdditionalCounts()
    {
        var details = new UsageDetails
        {
            InputTokenCount = 5_000,
            OutputTokenCount = 100,
            AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["CacheCreationInputTokens"] = 4_000 },
        };

        var usage = TokenUsage.FromUsageDetails(details)!.Value;

        Assert.Equal(4_000, usage.CacheWriteTokens);
        Assert.Equal(1_000, usage.UncachedInputTokens);
    }

    [Fact]
    public void FromUsageDetails_CacheWritesReportedBesideInput_AreNotSubtractedBelowZero()
    {
        var details = new UsageDetails
        {
            InputTokenCount = 50,
            OutputTokenCount = 10,
            AdditionalCounts = new AdditionalPropertiesDictionary<long> { ["cache_creation_input_tokens"] = 4_000 },
        };

        var usage = TokenUsage.FromUsageDetails(details)!.Value;

        Assert.Equal(50, usage.UncachedInputTokens);
        Assert.Equal(4_000, usage.CacheWriteTokens);
    }

    [Fact]
    public void FromUsageDetails_NoCounts_ReturnsNull()
    {
        Assert.Null(TokenUsage.FromUsageDetails(null));
        Assert.Null(TokenUsage.FromUsageDetails(new UsageDetails()));
    }

    [Fact]
    public void FromUsageDetails_OnlyTotal_TakesInputAsTotalLessOutput()
    {
        var usage = TokenUsage.FromUsageDetails(new UsageDetails { TotalTokenCount = 900, OutputTokenCount = 100 })!.Value;

        Assert.Equal(800, usage.InputTokens);
    }

    [Fact]
    public void Measure_NoReportedUsage_EstimatesAndMarks()
    {
        var sent = new List<ChatMessage> { new(ChatRole.User, new string('x', 400)) };

        var usage = StepAccounting.Measure(null, sent, null, new string('y', 80), null, CharacterTokenEstimator.Instance);

        Assert.True(usage.IsEstimated);
        Assert.Equal(104, usage.InputTokens); // 100 tokens of text + 4 of framing
        Assert.Equal(20, usage.OutputTokens);
    }

    [Fact]
    public void EstimateInputTokens_Images_AreNotFree()
    {
        var sent = new List<ChatMessage> { new(ChatRole.User, [new TextContent("What is in this picture?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]) };

        Assert.True(StepAccounting.EstimateInputTokens(sent, null, CharacterTokenEstimator.Instance) >= StepAccounting.MediaTokens);
    }
}
