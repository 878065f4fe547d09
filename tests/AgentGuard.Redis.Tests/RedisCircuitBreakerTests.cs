using Microsoft.Extensions.AI;

namespace AgentGuard.Redis.Tests;

/// <summary>The account's circuit breaker and shared caps on a server: what one process trips, every other one sees.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisCircuitBreakerTests(RedisServerFixture server)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static string Account() => "acct-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ATripByOneProcess_IsSeenByAnother_UntilReset()
    {
        var account = Account();
        var first = new RedisBudgetStore(server.Connect());
        var second = new RedisBudgetStore(server.Connect());

        await first.TripAsync(account, new BreakerTrip("a test trip", Noon, Noon.AddHours(12)));
        await first.TripAsync(account, new BreakerTrip("a later trip", Noon.AddMinutes(1), null));
        var seen = await second.GetTripAsync(account, Noon.AddMinutes(5));
        var afterRollOver = await second.GetTripAsync(account, Noon.AddHours(13));
        await second.ResetAsync(account);

        Assert.Equal("a test trip", seen!.Reason);
        Assert.Equal(Noon.AddHours(12), seen.Until);
        Assert.Null(afterRollOver);
        Assert.Null(await first.GetTripAsync(account, Noon.AddMinutes(5)));
    }

    [Fact]
    public async Task ATripThatEndedAtRollOver_DoesNotStopTheNextTrip()
    {
        var account = Account();
        var store = new RedisBudgetStore(server.Connect());
        var midnight = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

        await store.TripAsync(account, new BreakerTrip("day one's ceiling", Noon, midnight));
        await store.TripAsync(account, new BreakerTrip("day two's ceiling", midnight.AddHours(12), midnight.AddDays(1)));

        Assert.Equal("day two's ceiling", (await store.GetTripAsync(account, midnight.AddHours(13)))!.Reason);
    }

    [Fact]
    public async Task WindowSpend_IsAddedAndReadBack_NewestFirst()
    {
        var account = Account();
        var store = new RedisBudgetStore(server.Connect());

        await store.AddWindowSpendAsync(account, Noon, 0.25m, TimeSpan.FromMinutes(1), 3);
        await store.AddWindowSpendAsync(account, Noon.AddMinutes(2), 0.5m, TimeSpan.FromMinutes(1), 3);
        var windows = await store.AddWindowSpendAsync(account, Noon.AddMinutes(2).AddSeconds(10), 0.125m, TimeSpan.FromMinutes(1), 3);

        Assert.Equal(new[] { 0.625m, 0m, 0.25m, 0m }, windows);
    }

    [Fact]
    public async Task TwoGuards_OnOneServer_StopAtTheSharedDailyCap()
    {
        var account = Account();
        var agent = "triage-" + account;
        SharedBudgetOptions Shared() => new()
        {
            Clock = () => Noon,
            Store = new RedisBudgetStore(server.Connect()),
            AccountId = account,
            PerAgent = new ScopeLimits { HardLimitUsd = 0.20m, Period = BudgetPeriod.UtcDay },
        };
        var a = new BudgetChatClient(new FixedModel(), new AgentGuardOptions { ModelId = "gpt-4o", AgentName = agent, Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 }, SharedBudgets = Shared() });
        var b = new BudgetChatClient(new FixedModel(), new AgentGuardOptions { ModelId = "gpt-4o", AgentName = agent, Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 }, SharedBudgets = Shared() });

        var stops = await Task.WhenAll(SpendUntilRefusedAsync(a), SpendUntilRefusedAsync(b));

        var spent = (await Shared().Store.GetSpendAsync(new BudgetScope("agent", agent, BudgetPeriod.UtcDay), Noon)).Spent.Usd;
        Assert.All(stops, s => Assert.Equal("agent", s!.Scope!.Kind));

        // Each guard's first request is reserved at its estimate; after that at least at the last step's size ($0.028).
        Assert.True(spent <= 0.20m + (2 * 0.028m), $"spent {spent}");
        Assert.Equal(spent, a.Lifetime.Ledger.TotalCostUsd + b.Lifetime.Ledger.TotalCostUsd);
    }

    private static async Task<BudgetExceededException?> SpendUntilRefusedAsync(IChatClient client)
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")], new ChatOptions { MaxOutputTokens = 300 });
            }
            catch (BudgetExceededException stop)
            {
                return stop;
            }
        }

        return null;
    }

    // gpt-4o: 10,000 in + 300 out = $0.028 a request.
    private sealed class FixedModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi")) { Usage = new UsageDetails { InputTokenCount = 10_000, OutputTokenCount = 300 } });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
