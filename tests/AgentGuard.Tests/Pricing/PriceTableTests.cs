using AgentGuard.Tests.Infrastructure;

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
    [InlineData("gpt-4o-2024-11-20", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("gpt-4.1-2025-04-14", "gpt-4.1")]
    [InlineData("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    [InlineData("gpt-4.1-nano-2025-04-14", "gpt-4.1-nano")]
    [InlineData("gpt-5-2025-08-07", "gpt-5")]
    [InlineData("gpt-5-mini-2025-08-07", "gpt-5-mini")]
    [InlineData("gpt-5-nano-2025-08-07", "gpt-5-nano")]
    [InlineData("o3-2025-04-16", "o3")]
    [InlineData("o4-mini-2025-04-16", "o4-mini")]
    [InlineData("claude-sonnet-4-6-20260115", "claude-sonnet-4-6")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-sonnet-4-5@20250929", "claude-sonnet-4-5")]
    [InlineData("claude-opus-4-1-20250805", "claude-opus-4-1")]
    [InlineData("claude-haiku-4-5-20251001", "claude-haiku-4-5")]
    [InlineData("claude-haiku-4-5-latest", "claude-haiku-4-5")]
    [InlineData("gemini-2.0-flash-001", "gemini-2.0-flash")]
    [InlineData("gemini-2.0-flash-lite-001", "gemini-2.0-flash-lite")]
    [InlineData("openai/gpt-4o", "gpt-4o")]
    [InlineData("openai/gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("openrouter/anthropic/claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("GPT-4O", "gpt-4o")]
    public void TryGetPrice_DatedOrPrefixedId_FindsTheSnapshotsModel(string requested, string expected)
    {
        var table = PriceTable.Default;

        Assert.True(table.TryGetPrice(requested, out var price));
        Assert.Same(table.GetPrice(expected), price);
    }

    [Theory]
    [InlineData("o3-pro")]                      // $20/$80 per M: not o3 at $2/$8
    [InlineData("o3-pro-2025-06-10")]
    [InlineData("gpt-5-pro")]                   // $15/$120 per M: not gpt-5 at $1.25/$10
    [InlineData("gpt-5-codex")]
    [InlineData("gpt-5-chat-latest")]
    [InlineData("gpt-4o-audio-preview-2024-12-17")]
    [InlineData("gpt-4o-search-preview")]
    [InlineData("gemini-2.5-flash-preview-05-20")] // previews are priced apart from the release
    [InlineData("gpt-4o.1")]
    [InlineData("gpt-4o_2")]
    [InlineData("o3:high")]
    public void TryGetPrice_SuffixThatNamesAnotherModel_IsUnknown(string model)
    {
        var table = PriceTable.Default;

        Assert.False(table.TryGetPrice(model, out _));
        Assert.Throws<UnknownModelPriceException>(() => table.GetPrice(model));
    }

    [Fact]
    public void TryGetPrice_ExactSnapshotEntry_WinsOverItsModel()
    {
        // gpt-4o's first snapshot is billed at $5/$15, twice the price of the model it is a snapshot of.
        var table = PriceTable.Default;

        Assert.Equal(5m, table.GetPrice("gpt-4o-2024-05-13").InputPerMillionUsd);
        Assert.Equal(15m, table.GetPrice("gpt-4o-2024-05-13").OutputPerMillionUsd);
        Assert.Equal(2.5m, table.GetPrice("gpt-4o-2024-08-06").InputPerMillionUsd);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gpt")]
    [InlineData("gpt-4oX")]
    [InlineData("my-fine-tune")]
    [InlineData("ft:gpt-4o-2024-08-06:acme::abc123")]
    [InlineData("bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0")]
    public void TryGetPrice_UnknownModel_ReturnsFalse(string? model)
    {
        Assert.False(PriceTable.Default.TryGetPrice(model, out _));
    }

    [Fact]
    public async Task BudgetChatClient_UsdBudgetOnAModelNamedLikeAKnownOne_FailsClosed()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"), defaultModelId: "o3-pro");
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 100 } });

        var error = Assert.Throws<UnknownModelPriceException>(() => guard.BeginRun());

        Assert.Equal("o3-pro", error.ModelId);
        Assert.Empty(inner.Requests);
    }

    [Fact]
    public void LoadJson_ProviderPrefixedEntries_KeepTheirOwnIdAndNeverReplaceThePlainOne()
    {
        var table = PriceTable.Default.LoadJson("""
            {
              "gpt-4o": { "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1.0e-05 },
              "azure/gpt-4o": { "input_cost_per_token": 5e-06, "output_cost_per_token": 1.5e-05 },
              "openrouter/openai/gpt-4o": { "input_cost_per_token": 1e-07, "output_cost_per_token": 1e-07 },
              "bedrock/acme.model-v1:0": { "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06 }
            }
            """);

        Assert.Equal(2.5m, table.GetPrice("gpt-4o").InputPerMillionUsd);
        Assert.Equal(2.5m, table.GetPrice("gpt-4o-2024-08-06").InputPerMillionUsd);
        Assert.Equal(5m, table.GetPrice("azure/gpt-4o").InputPerMillionUsd);
        Assert.Equal(5m, table.GetPrice("azure/gpt-4o-2024-08-06").InputPerMillionUsd);
        Assert.Equal(0.1m, table.GetPrice("openrouter/openai/gpt-4o").InputPerMillionUsd);
        Assert.Equal(1m, table.GetPrice("bedrock/acme.model-v1:0").InputPerMillionUsd);
        Assert.False(table.Contains("acme.model-v1:0"));
        Assert.Equal(2.5m, table.GetPrice("vertex_ai/gpt-4o").InputPerMillionUsd); // no entry of its own: the plain ID
        Assert.Contains("azure/gpt-4o", table.ModelIds);
    }

    [Fact]
    public void TryGetPrice_PrefixedSnapshotWithoutItsOwnEntry_TakesThePlainExactEntryOverThePrefixedModel()
    {
        var table = new PriceTable()
            .Set("gpt-4o", new ModelPrice { InputPerMillionUsd = 2.5m, OutputPerMillionUsd = 10m })
            .Set("gpt-4o-2024-05-13", new ModelPrice { InputPerMillionUsd = 5m, OutputPerMillionUsd = 15m })
            .Set("azure/gpt-4o", new ModelPrice { InputPerMillionUsd = 2.75m, OutputPerMillionUsd = 11m });

        // An exact entry at any prefix level wins over a snapshot match at any level.
        Assert.Equal(5m, table.GetPrice("azure/gpt-4o-2024-05-13").InputPerMillionUsd);
        Assert.Equal(5m, table.GetPrice("openrouter/openai/gpt-4o-2024-05-13").InputPerMillionUsd);

        // Without an exact entry, the prefixed model's snapshot comes before the plain model's.
        Assert.Equal(2.75m, table.GetPrice("azure/gpt-4o-2024-08-06").InputPerMillionUsd);
        Assert.Equal(2.5m, table.GetPrice("openai/gpt-4o-2024-08-06").InputPerMillionUsd);

        // A prefixed exact entry still wins over the plain one.
        table.Set("azure/gpt-4o-2024-05-13", new ModelPrice { InputPerMillionUsd = 6m, OutputPerMillionUsd = 18m });
        Assert.Equal(6m, table.GetPrice("azure/gpt-4o-2024-05-13").InputPerMillionUsd);
    }

    [Fact]
    public void LoadJson_ProviderPrefixedEntryLoadedAfterThePlainOne_DoesNotOverwriteIt()
    {
        // Order matters for a table keyed by the plain ID: the last entry used to win.
        var table = new PriceTable().LoadJson("""
            {
              "gpt-4o": { "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1.0e-05 },
              "openrouter/openai/gpt-4o": { "input_cost_per_token": 1e-07, "output_cost_per_token": 1e-07 }
            }
            """);

        Assert.Equal(2.5m, table.GetPrice("gpt-4o").InputPerMillionUsd);
        Assert.Equal(2, table.ModelIds.Count);
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
