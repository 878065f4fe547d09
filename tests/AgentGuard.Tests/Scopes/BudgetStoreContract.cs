namespace AgentGuard.Tests.Scopes;

/// <summary>
/// What every <see cref="IBudgetStore"/> must do, run against each store: derive, create the store, and the same
/// cases run on it.
/// </summary>
public abstract class BudgetStoreContract
{
    protected static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A store with nothing in it: each test gets its own (or its own key space).</summary>
    protected abstract IBudgetStore CreateStore();

    /// <summary>A scope kind no other test uses, so tests can share a server.</summary>
    protected static string Kind(string name) => name + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Reserve_WithinEveryLimit_IsAdmitted_AndHeldUntilCommitted()
    {
        var store = CreateStore();
        var tenant = new BudgetScope(Kind("tenant"), "acme", hardLimitUsd: 1m);

        var decision = await store.ReserveAsync([tenant], new BudgetAmount(0.4m, 1_000), Lease, Noon);
        var held = await store.GetSpendAsync(tenant, Noon);
        await store.CommitAsync(decision.Reservation!, new BudgetAmount(0.25m, 800));
        var spent = await store.GetSpendAsync(tenant, Noon);

        Assert.True(decision.IsAdmitted);
        Assert.Equal(0.4m, held.Reserved.Usd);
        Assert.Equal(1, held.Reservations);
        Assert.Equal(0.25m, spent.Spent.Usd);
        Assert.Equal(800, spent.Spent.Tokens);
        Assert.Equal(0m, spent.Reserved.Usd);
        Assert.Equal(0, spent.Reservations);
    }

    [Fact]
    public async Task Reserve_PastALimit_IsRefused_ByThatScope_AndHoldsNothingAnywhere()
    {
        var store = CreateStore();
        var account = new BudgetScope(Kind("account"), "main", hardLimitUsd: 10m);
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var first = await store.ReserveAsync([account, user], new BudgetAmount(0.8m, 0), Lease, Noon);
        await store.CommitAsync(first.Reservation!, new BudgetAmount(0.8m, 0));

        var refused = await store.ReserveAsync([account, user], new BudgetAmount(0.3m, 0), Lease, Noon);

        Assert.False(refused.IsAdmitted);
        Assert.Same(user, refused.RefusedBy);
        Assert.Equal(BudgetLimit.HardCost, refused.Limit);
        Assert.Contains(user.Kind, refused.Reason, StringComparison.Ordinal);
        Assert.Equal(0m, (await store.GetSpendAsync(account, Noon)).Reserved.Usd);
        Assert.Equal(0.8m, (await store.GetSpendAsync(account, Noon)).Spent.Usd);
    }

    [Fact]
    public async Task Reserve_TokenLimit_RefusesPastIt()
    {
        var store = CreateStore();
        var agent = new BudgetScope(Kind("agent"), "triage", maxTotalTokens: 10_000);

        Assert.True((await store.ReserveAsync([agent], new BudgetAmount(0m, 6_000), Lease, Noon)).IsAdmitted);
        var refused = await store.ReserveAsync([agent], new BudgetAmount(0m, 4_001), Lease, Noon);

        Assert.Equal(BudgetLimit.TotalTokens, refused.Limit);
        Assert.True((await store.ReserveAsync([agent], new BudgetAmount(0m, 4_000), Lease, Noon)).IsAdmitted);
    }

    [Fact]
    public async Task Release_GivesTheAmountBack()
    {
        var store = CreateStore();
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var held = await store.ReserveAsync([user], new BudgetAmount(0.9m, 0), Lease, Noon);

        await store.ReleaseAsync(held.Reservation!);

        Assert.True((await store.ReserveAsync([user], new BudgetAmount(0.9m, 0), Lease, Noon)).IsAdmitted);
        Assert.Equal(0m, (await store.GetSpendAsync(user, Noon)).Spent.Usd);
    }

    [Fact]
    public async Task ALeaseThatRunsOut_GivesTheAmountBack_UnlessRenewed()
    {
        var store = CreateStore();
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var abandoned = await store.ReserveAsync([user], new BudgetAmount(0.6m, 0), Lease, Noon);
        var renewed = await store.ReserveAsync([user], new BudgetAmount(0.3m, 0), Lease, Noon);

        Assert.True(await store.RenewAsync(renewed.Reservation!, Lease, Noon.AddMinutes(1)));
        var later = Noon.AddMinutes(2).AddSeconds(1);
        var spend = await store.GetSpendAsync(user, later);

        Assert.Equal(0.3m, spend.Reserved.Usd);
        Assert.Equal(1, spend.Reservations);
        Assert.False(await store.RenewAsync(abandoned.Reservation!, Lease, later));
        Assert.True((await store.ReserveAsync([user], new BudgetAmount(0.7m, 0), Lease, later)).IsAdmitted);
    }

    [Fact]
    public async Task ACommitAfterTheLeaseRanOut_IsStillSpent()
    {
        var store = CreateStore();
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var slow = await store.ReserveAsync([user], new BudgetAmount(0.5m, 0), Lease, Noon);
        await store.GetSpendAsync(user, Noon.AddMinutes(10));

        await store.CommitAsync(slow.Reservation!, new BudgetAmount(0.45m, 0));

        Assert.Equal(0.45m, (await store.GetSpendAsync(user, Noon.AddMinutes(10))).Spent.Usd);
    }

    [Fact]
    public async Task ADailyBudget_StartsAgainAtMidnightUtc()
    {
        var store = CreateStore();
        var agent = new BudgetScope(Kind("agent"), "triage", BudgetPeriod.UtcDay, hardLimitUsd: 1m);
        var late = new DateTimeOffset(2026, 12, 6, 23, 59, 0, TimeSpan.Zero);
        var spent = await store.ReserveAsync([agent], new BudgetAmount(1m, 0), Lease, late);
        await store.CommitAsync(spent.Reservation!, new BudgetAmount(1m, 0));

        var sameDay = await store.ReserveAsync([agent], new BudgetAmount(0.01m, 0), Lease, late.AddSeconds(30));
        var nextDay = await store.ReserveAsync([agent], new BudgetAmount(0.5m, 0), Lease, late.AddMinutes(2));

        Assert.False(sameDay.IsAdmitted);
        Assert.True(nextDay.IsAdmitted);
        Assert.Equal(1m, (await store.GetSpendAsync(agent, late)).Spent.Usd);
        Assert.Equal(0m, (await store.GetSpendAsync(agent, late.AddMinutes(2))).Spent.Usd);
    }

    [Fact]
    public async Task TheSameScopeTwice_HoldsTheAmountOnce_AndGivesItAllBack()
    {
        var store = CreateStore();
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);

        var held = await store.ReserveAsync([user, user], new BudgetAmount(0.4m, 0), Lease, Noon);
        var whileHeld = await store.GetSpendAsync(user, Noon);
        await store.ReleaseAsync(held.Reservation!);

        Assert.Equal(0.4m, whileHeld.Reserved.Usd);
        Assert.Equal(0m, (await store.GetSpendAsync(user, Noon)).Reserved.Usd);
    }

    [Fact]
    public async Task ManyConcurrentTasks_NeverPassTheCap()
    {
        var store = CreateStore();
        var account = new BudgetScope(Kind("account"), "main", hardLimitUsd: 5m);
        var admitted = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, ct) =>
        {
            var decision = await store.ReserveAsync([account], new BudgetAmount(0.1m, 100), Lease, Noon, ct);
            if (decision.IsAdmitted)
            {
                Interlocked.Increment(ref admitted);
                await store.CommitAsync(decision.Reservation!, new BudgetAmount(0.1m, 100), ct);
            }
        });

        var spend = await store.GetSpendAsync(account, Noon);
        Assert.Equal(50, admitted);
        Assert.Equal(5m, spend.Spent.Usd);
        Assert.Equal(0, spend.Reservations);
    }
}

/// <summary>The contract on the in-process store.</summary>
public sealed class InMemoryBudgetStoreTests : BudgetStoreContract
{
    protected override IBudgetStore CreateStore() => new InMemoryBudgetStore();
}
