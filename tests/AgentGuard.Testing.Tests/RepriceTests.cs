using Microsoft.Extensions.AI;

namespace AgentGuard.Testing.Tests;

public sealed class RepriceTests
{
    private static CostLedger[] Ledgers()
    {
        var price = SupportRun.Prices.GetPrice("model-a");
        return Enumerable.Range(0, 2).Select(_ =>
        {
            var ledger = new CostLedger();
            var usage = new TokenUsage(600_000, 400_000, 0, 100_000, 0);
            ledger.RecordStep("model-a", usage, price.CostOf(usage));
            return ledger;
        }).ToArray();
    }

    [Fact]
    public void Reprice_prices_each_step_on_two_models()
    {
        var ledgers = Ledgers();

        // model-a: 0.6 × $1 + 0.4 × $0.1 + 0.1 × $4 = $1.04 a step; model-b: 0.6 × $3 + 0.4 × $0.3 + 0.1 × $15 = $3.42.
        var a = CostBaseline.Reprice(ledgers, SupportRun.Prices, "model-a");
        var b = CostBaseline.Reprice(ledgers, SupportRun.Prices, "model-b");

        Assert.Equal(2.08m, a.TotalCostUsd);
        Assert.Equal(a.OriginalTotalCostUsd, a.TotalCostUsd);
        Assert.Equal(6.84m, b.TotalCostUsd);
        Assert.Equal(3.42m, b.MeanCostPerTaskUsd);
        Assert.Equal(2, b.Steps);

        var table = CostBaseline.RepriceTable(ledgers, SupportRun.Prices, "model-a", "model-b");
        Assert.Contains("| model-a | 2 | 2 | $2.08 | $1.04 | 0.0% |", table);
        Assert.Contains("| model-b | 2 | 2 | $6.84 | $3.42 | +228.8% |", table);
    }

    [Fact]
    public async Task Reprice_reads_the_usage_recorded_in_cassettes()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor("0"));
        await SupportRun.RunAsync(recorder, "0");

        var cost = CostBaseline.Reprice([recorder.Cassette], SupportRun.Prices, "model-b");

        // Step 1: 1000 uncached in, 20 out; step 2: 1100 in (900 cached, 50 cache writes priced as input), 40 out.
        Assert.Equal(2, cost.Steps);
        Assert.Equal(((1000m + 150m + 50m) * 3m + 900m * 0.3m + 60m * 15m) / 1_000_000m, cost.TotalCostUsd);
    }

    [Fact]
    public void Reprice_on_an_unknown_model_throws()
        => Assert.Throws<UnknownModelPriceException>(() => CostBaseline.Reprice(Ledgers(), SupportRun.Prices, "model-z"));
}
