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

    [Fact]
    public void FromAdditionalProperties_DuckTypedUsageWithLongCounts_SplitsCachedInputAndReasoning()
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["Usage"] = new LongUsage
            {
                InputTokenCount = 5_200,
                OutputTokenCount = 900,
                TotalTokenCount = 6_100,
                InputTokenDetails = new InputDetails { CachedTokenCount = 4_096 },
                OutputTokenDetails = new OutputDetails { ReasoningTokenCount = 640 },
            },
        };

        var usage = TokenUsage.FromAdditionalProperties(properties, toolResultTokens: 12);

        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640, toolResultTokens: 12), usage);
    }

    [Fact]
    public void FromAdditionalProperties_DuckTypedUsageWithIntCounts_IsReadLikeLongCounts()
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["Usage"] = new IntUsage
            {
                InputTokenCount = 5_200,
                OutputTokenCount = 900,
                TotalTokenCount = 6_100,
                InputTokenDetails = new InputDetails { CachedTokenCount = 4_096 },
                OutputTokenDetails = new OutputDetails { ReasoningTokenCount = 640 },
            },
        };

        Assert.Equal(new TokenUsage(1_104, 4_096, 0, 900, 640), TokenUsage.FromAdditionalProperties(properties));
    }

    [Fact]
    public void FromAdditionalProperties_NestedDetailsNull_CountsAllInputAsUncachedAndNoReasoning()
    {
        var properties = new AdditionalPropertiesDictionary { ["Usage"] = new LongUsage { InputTokenCount = 5_200, OutputTokenCount = 900 } };

        var usage = TokenUsage.FromAdditionalProperties(properties)!.Value;

        Assert.Equal(new TokenUsage(5_200, 0, 0, 900, 0), usage);
        Assert.False(usage.IsEstimated);
    }

    [Fact]
    public void FromAdditionalProperties_ThrowingGetter_IsNoUsage()
    {
        var properties = new AdditionalPropertiesDictionary { ["Usage"] = new ThrowingUsage() };

        Assert.Null(TokenUsage.FromAdditionalProperties(properties));
        Assert.Null(TokenUsage.FromAdditionalProperties(properties));
    }

    [Fact]
    public void FromAdditionalProperties_ThrowingNestedGetter_IsNoUsage()
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["Usage"] = new LongUsage { InputTokenCount = 5_200, OutputTokenCount = 900, InputTokenDetails = new ThrowingInputDetails() },
        };

        Assert.Null(TokenUsage.FromAdditionalProperties(properties));
    }

    [Fact]
    public void FromAdditionalProperties_CacheReadsAndWritesReportedBesideInput_AreAddedToTheInput()
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["Usage"] = new AnthropicStyleUsage { InputTokens = 300, OutputTokens = 120, CacheReadInputTokens = 8_000, CacheCreationInputTokens = 1_500 },
        };

        var usage = TokenUsage.FromAdditionalProperties(properties)!.Value;

        Assert.Equal(new TokenUsage(300, 8_000, 1_500, 120, 0), usage);
        Assert.Equal(9_800, usage.InputTokens);
    }

    [Fact]
    public void FromAdditionalProperties_PromptAndCompletionTokens_AreInputAndOutput()
    {
        var properties = new AdditionalPropertiesDictionary { ["Usage"] = new PromptCompletionUsage { PromptTokens = 700, CompletionTokens = 50, TotalTokens = 750 } };

        Assert.Equal(new TokenUsage(700, 0, 0, 50, 0), TokenUsage.FromAdditionalProperties(properties));
    }

    [Fact]
    public void FromAdditionalProperties_UsageDetailsAndUsageContent_AreReadAsReported()
    {
        var details = new UsageDetails { InputTokenCount = 1_000, CachedInputTokenCount = 600, OutputTokenCount = 80, ReasoningTokenCount = 30 };

        Assert.Equal(new TokenUsage(400, 600, 0, 80, 30), TokenUsage.FromAdditionalProperties(new() { ["Usage"] = details }));
        Assert.Equal(new TokenUsage(400, 600, 0, 80, 30), TokenUsage.FromAdditionalProperties(new() { ["Usage"] = new UsageContent(details) }));
        Assert.Equal(1_000, details.InputTokenCount);
    }

    [Fact]
    public void FromAdditionalProperties_NoEntryOrUnknownShape_IsNoUsage()
    {
        Assert.Null(TokenUsage.FromAdditionalProperties(null));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Other"] = new LongUsage { InputTokenCount = 10 } }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = null }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = "5200 tokens" }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = 5_200 }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = new { Tokens = 5_200 } }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = new LongUsage() }));
        Assert.Null(TokenUsage.FromAdditionalProperties(new() { ["Usage"] = new UsageDetails() }));
    }

    [Fact]
    public void Measure_NoReportedUsage_ReadsEachUsageObjectInTheReceivedMessagesOnce()
    {
        var sent = new List<ChatMessage> { new(ChatRole.User, "What is the invoice total?") };
        var first = new LongUsage { InputTokenCount = 1_000, OutputTokenCount = 40 };
        var second = new LongUsage { InputTokenCount = 1_200, OutputTokenCount = 60, InputTokenDetails = new InputDetails { CachedTokenCount = 1_000 } };
        var received = new List<ChatMessage>
        {
            new(ChatRole.Assistant, "calling a tool") { AdditionalProperties = new() { ["Usage"] = first } },
            new(ChatRole.Tool, "result"),
            new(ChatRole.Assistant, "The total is 1,284.50 EUR.") { AdditionalProperties = new() { ["Usage"] = second } },
            new(ChatRole.Assistant, "The total is 1,284.50 EUR.") { AdditionalProperties = new() { ["Usage"] = second } },
        };

        var usage = StepAccounting.Measure(null, sent, null, "The total is 1,284.50 EUR.", received, CharacterTokenEstimator.Instance);

        Assert.Equal(new TokenUsage(1_200, 1_000, 0, 100, 0), usage);
    }

    [Fact]
    public void Measure_ReportedUsage_WinsOverUsageInTheReceivedMessages()
    {
        var sent = new List<ChatMessage> { new(ChatRole.User, "What is the invoice total?") };
        var received = new List<ChatMessage> { new(ChatRole.Assistant, "1,284.50 EUR") { AdditionalProperties = new() { ["Usage"] = new LongUsage { InputTokenCount = 9_999, OutputTokenCount = 9_999 } } } };

        var usage = StepAccounting.Measure(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 }, sent, null, "1,284.50 EUR", received, CharacterTokenEstimator.Instance);

        Assert.Equal(new TokenUsage(100, 0, 0, 10, 0), usage);
    }

    public sealed class LongUsage
    {
        public long? InputTokenCount { get; init; }

        public long? OutputTokenCount { get; init; }

        public long? TotalTokenCount { get; init; }

        public object? InputTokenDetails { get; init; }

        public OutputDetails? OutputTokenDetails { get; init; }
    }

    public sealed class IntUsage
    {
        public int InputTokenCount { get; init; }

        public int OutputTokenCount { get; init; }

        public int TotalTokenCount { get; init; }

        public InputDetails? InputTokenDetails { get; init; }

        public OutputDetails? OutputTokenDetails { get; init; }
    }

    public sealed class InputDetails
    {
        public int CachedTokenCount { get; init; }
    }

    public sealed class OutputDetails
    {
        public int ReasoningTokenCount { get; init; }
    }

    public sealed class ThrowingInputDetails
    {
        public int CachedTokenCount => throw new InvalidOperationException("not loaded");
    }

    public sealed class ThrowingUsage
    {
        public int InputTokenCount => throw new InvalidOperationException("not loaded");

        public int OutputTokenCount => 900;
    }

    public sealed class AnthropicStyleUsage
    {
        public long InputTokens { get; init; }

        public long OutputTokens { get; init; }

        public long? CacheReadInputTokens { get; init; }

        public long? CacheCreationInputTokens { get; init; }
    }

    public sealed class PromptCompletionUsage
    {
        public int? PromptTokens { get; init; }

        public int? CompletionTokens { get; init; }

        public int? TotalTokens { get; init; }
    }
}
