namespace AgentGuard.Tests.Pricing;

public sealed class PriceTableTests
{
    [Theory]
    [InlineData("gpt-4o", 2.50, 10.00)]
    [InlineData("gpt-4o-mini", 0.15, 0.60)]
    [InlineData("claude-opus-4-6", 5.00, 25.00)]
    [InlineData("claude-sonnet-4-6", 3.00, 15.00)]
    [InlineData("claude-haiku-4-5", 1.00, 5.00)]
    [InlineData("gemini-2.0-flash-lite", 0.075, 0.30)]
    public void Default_SeedModels_HaveListPrices(string model, double input, double output)
    {
        var price = PriceTable.Default.GetPrice(model);

        Assert.Equal((decimal)input, price.InputPerMillionUsd);
        Assert.Equal((decimal)output, price.OutputPerMillionUsd);
    }

    [Fact]
    public void Default_HasAsOfDate()
    {
        Assert.Equal(new DateTime(2026, 11, 1), PriceTable.Default.AsOf!.Value.Date);
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("claude-sonnet-4-6-20260115", "claude-sonnet-4-6")]
    [InlineData("openai/gpt-4o", "gpt-4o")]
    [InlineData("GPT-4O", "gpt-4o")]
    public void TryGetPrice_DatedOrPrefixedId_FindsLongestKnownPrefix(string requested, string expected)
    {
        var table = PriceTable.Default;

        Assert.True(table.TryGetPrice(requested, out var price));
        Assert.Same(table.GetPrice(expected), price);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gpt")]
    [InlineData("gpt-4oX")]
    [InlineData("my-fine-tune")]
    public void TryGetPrice_UnknownModel_ReturnsFalse(string? model)
    {
        Assert.False(PriceTable.Default.TryGetPrice(model, out _));
    }

    [Fact]
    public void GetPrice_UnknownModel_ThrowsClearError()
    {
        var error = Assert.Throws<UnknownModelPriceException>(() => new PriceTable().GetPrice("acme-1"));

        Assert.Equal("acme-1", error.ModelId);
        Assert.Contains("PriceTable.Set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_ReturnsTableForChaining_AndOverridesDefault()
    {
        var table = PriceTable.Default
            .Set("acme-1", new ModelPrice { InputPerMillionUsd = 1m, OutputPerMillionUsd = 2m })
            .Set("gpt-4o", new ModelPrice { InputPerMillionUsd = 2m, OutputPerMillionUsd = 8m });

        Assert.Equal(1m, table.GetPrice("acme-1").InputPerMillionUsd);
        Assert.Equal(2m, table.GetPrice("gpt-4o-2024-08-06").InputPerMillionUsd);
        Assert.Equal(2.5m, PriceTable.Default.GetPrice("gpt-4o").InputPerMillionUsd);
    }

    [Fact]
    public void LoadJson_LiteLlmShape_ConvertsPerTokenToPerMillionExactly()
    {
        var table = PriceTable.FromJson("""
            {
              "sample_spec": { "max_tokens": "set to max_output_tokens if provider specifies it" },
              "acme-large": {
                "input_cost_per_token": 3e-06,
                "output_cost_per_token": 1.5e-05,
                "cache_read_input_token_cost": 3e-07,
                "cache_creation_input_token_cost": 3.75e-06,
                "output_cost_per_reasoning_token": 2e-05
              },
              "acme-embed": { "input_cost_per_token": 1e-07 }
            }
            """);

        var price = table.GetPrice("acme-large");
        Assert.Equal(3m, price.InputPerMillionUsd);
        Assert.Equal(15m, price.OutputPerMillionUsd);
        Assert.Equal(0.3m, price.CachedInputPerMillionUsd);
        Assert.Equal(3.75m, price.CacheWritePerMillionUsd);
        Assert.Equal(20m, price.ReasoningPerMillionUsd);
        Assert.False(table.Contains("acme-embed"));
        Assert.False(table.Contains("sample_spec"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public void LoadJson_NotAnObject_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => new PriceTable().LoadJson(json));
    }
}
