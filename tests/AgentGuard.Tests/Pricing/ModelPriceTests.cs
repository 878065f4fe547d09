namespace AgentGuard.Tests.Pricing;

public sealed class ModelPriceTests
{
    private static readonly ModelPrice Sonnet = PriceTable.Default.GetPrice("claude-sonnet-4-6");

    [Fact]
    public void CostOf_EachTokenKind_IsBilledAtItsOwnRate()
    {
        // 1M uncached at $3, 1M cached at $0.30, 1M cache write at $3.75, 1M visible output at $15, 1M reasoning at $15.
        var usage = new TokenUsage(1_000_000, 1_000_000, 1_000_000, 2_000_000, 1_000_000);

        Assert.Equal(3m + 0.3m + 3.75m + 15m + 15m, Sonnet.CostOf(usage));
    }

    [Fact]
    public void CostOf_TypicalStep_IsExactToTheCent()
    {
        // 12,000 uncached + 48,000 cached input, 900 output on Sonnet 4.6.
        var usage = new TokenUsage(12_000, 48_000, 0, 900, 0);

        Assert.Equal(0.036m + 0.0144m + 0.0135m, Sonnet.CostOf(usage));
        Assert.Equal(0.06m, decimal.Round(Sonnet.CostOf(usage), 2));
    }

    [Fact]
    public void CostOf_UnsetRates_FallBackToInputAndOutput()
    {
        var price = new ModelPrice { InputPerMillionUsd = 2m, OutputPerMillionUsd = 8m };
        var usage = new TokenUsage(0, 1_000_000, 1_000_000, 1_000_000, 1_000_000);

        Assert.Equal(2m + 2m + 8m, price.CostOf(usage));
    }

    [Fact]
    public void CostOf_ToolResultTokens_AreNotChargedTwice()
    {
        var withToolResults = new TokenUsage(1000, 0, 0, 0, 0, toolResultTokens: 800);
        var without = new TokenUsage(1000, 0, 0, 0, 0);

        Assert.Equal(Sonnet.CostOf(without), Sonnet.CostOf(withToolResults));
    }

    [Fact]
    public void WorstCaseStepCost_UsesHighestInputAndOutputRates()
    {
        Assert.Equal((10_000 * 3.75m + 500 * 15m) / 1_000_000m, Sonnet.WorstCaseStepCost(10_000, 500));
    }
}
