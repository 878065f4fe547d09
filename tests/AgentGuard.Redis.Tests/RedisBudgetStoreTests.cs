using StackExchange.Redis;

namespace AgentGuard.Redis.Tests;

/// <summary>What a store on a server adds to the contract: many processes, dead owners, key expiry, failures.</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisBudgetStoreTests(RedisServerFixture server)
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static string Kind(string name) => name + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task TwoProcesses_ReservingConcurrently_NeverPassTheCap()
    {
        var first = new RedisBudgetStore(server.Connect());
        var second = new RedisBudgetStore(server.Connect());
        var account = new BudgetScope(Kind("account"), "main", hardLimitUsd: 5m);
        var admitted = 0;

        async Task RunAsync(RedisBudgetStore store) =>
            await Parallel.ForEachAsync(Enumerable.Range(0, 150), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
            {
                var decision = await store.ReserveAsync([account], new BudgetAmount(0.1m, 10), Lease, Noon, ct);
                if (decision.IsAdmitted)
                {
                    Interlocked.Increment(ref admitted);
                }
            });

        await Task.WhenAll(RunAsync(first), RunAsync(second));
        var spend = await first.GetSpendAsync(account, Noon);

        Assert.Equal(50, admitted);
        Assert.Equal(5m, spend.Reserved.Usd);
        Assert.Equal(500, spend.Reserved.Tokens);
        Assert.Equal(50, spend.Reservations);
    }

    [Fact]
    public async Task AReservationWhoseOwnerDied_ComesBackAfterItsLease()
    {
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var dying = server.Connect();
        var held = await new RedisBudgetStore(dying).ReserveAsync([user], new BudgetAmount(0.9m, 0), Lease, Noon);
        dying.Dispose();
        var survivor = new RedisBudgetStore(server.Connect());

        var whileLeased = await survivor.ReserveAsync([user], new BudgetAmount(0.5m, 0), Lease, Noon.AddMinutes(1));
        var afterLease = await survivor.ReserveAsync([user], new BudgetAmount(0.5m, 0), Lease, Noon + Lease);

        Assert.True(held.IsAdmitted);
        Assert.False(whileLeased.IsAdmitted);
        Assert.True(afterLease.IsAdmitted);
        Assert.Equal(1, (await survivor.GetSpendAsync(user, Noon + Lease)).Reservations);
    }

    [Fact]
    public async Task PeriodKeys_ExpireTwoDaysAfterThePeriod_LifetimeKeysNever()
    {
        var store = new RedisBudgetStore(server.Connection);
        var daily = new BudgetScope(Kind("agent"), "triage", BudgetPeriod.UtcDay, hardLimitUsd: 1m);
        var monthly = new BudgetScope(Kind("tenant"), "acme", BudgetPeriod.UtcMonth, hardLimitUsd: 100m);
        var lifetime = new BudgetScope(Kind("account"), "main", hardLimitUsd: 1_000m);
        var db = server.Connection.GetDatabase();

        await store.ReserveAsync([daily, monthly, lifetime], new BudgetAmount(0.1m, 0), Lease, Noon);

        // Noon on the 6th: the day ends in 12 hours, the month (December) in 25 days and 12 hours.
        AssertExpiresIn(TimeSpan.FromHours(12) + TimeSpan.FromDays(2), await db.KeyTimeToLiveAsync(store.HashKey(daily.KeyAt(Noon))));
        AssertExpiresIn(TimeSpan.FromHours(12) + TimeSpan.FromDays(2), await db.KeyTimeToLiveAsync(store.LeasesKey(daily.KeyAt(Noon))));
        AssertExpiresIn(TimeSpan.FromDays(25.5) + TimeSpan.FromDays(2), await db.KeyTimeToLiveAsync(store.HashKey(monthly.KeyAt(Noon))));
        Assert.True(await db.KeyExistsAsync(store.HashKey(lifetime.KeyAt(Noon))));
        Assert.Null(await db.KeyTimeToLiveAsync(store.HashKey(lifetime.KeyAt(Noon))));
        Assert.Null(await db.KeyTimeToLiveAsync(store.LeasesKey(lifetime.KeyAt(Noon))));
    }

    [Fact]
    public async Task Money_RoundsUpToTheMicroDollar()
    {
        var store = new RedisBudgetStore(server.Connection);
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 0.000003m);

        var tiny = await store.ReserveAsync([user], new BudgetAmount(0.0000001m, 1), Lease, Noon);
        var held = await store.GetSpendAsync(user, Noon);
        await store.CommitAsync(tiny.Reservation!, new BudgetAmount(0.0000011m, 1));
        var spent = await store.GetSpendAsync(user, Noon);
        var refused = await store.ReserveAsync([user], new BudgetAmount(0.0000011m, 0), Lease, Noon);

        Assert.Equal(0.000001m, held.Reserved.Usd);
        Assert.Equal(0.000002m, spent.Spent.Usd);
        Assert.False(refused.IsAdmitted);
    }

    [Fact]
    public async Task ARefusal_IsWorded_WithTheServersNumbers()
    {
        var store = new RedisBudgetStore(server.Connection);
        var account = new BudgetScope(Kind("account"), "main", hardLimitUsd: 10m);
        var agent = new BudgetScope(Kind("agent"), "triage", maxTotalTokens: 1_000);
        var committed = await store.ReserveAsync([account, agent], new BudgetAmount(0.8m, 600), Lease, Noon);
        await store.CommitAsync(committed.Reservation!, new BudgetAmount(0.5m, 500));
        await store.ReserveAsync([account, agent], new BudgetAmount(0.1m, 300), Lease, Noon);

        var refused = await store.ReserveAsync([account, agent], new BudgetAmount(0.1m, 201), Lease, Noon);

        Assert.Same(agent, refused.RefusedBy);
        Assert.Equal(BudgetLimit.TotalTokens, refused.Limit);
        Assert.Equal(BudgetScopeMessages.Tokens(agent, 500, 300, 201), refused.Reason);
        Assert.Equal(0.6m, (await store.GetSpendAsync(account, Noon)).Spent.Usd + (await store.GetSpendAsync(account, Noon)).Reserved.Usd);
    }

    [Fact]
    public async Task Keys_StartWithThePrefix_SoAClusterHashTagKeepsThemInOneSlot()
    {
        var prefix = "{" + Kind("tag") + "}:";
        var store = new RedisBudgetStore(server.Connection, prefix);
        var tenant = new BudgetScope(Kind("tenant"), "acme", BudgetPeriod.UtcMonth, hardLimitUsd: 1m);
        var db = server.Connection.GetDatabase();

        var decision = await store.ReserveAsync([tenant], new BudgetAmount(0.2m, 0), Lease, Noon);
        var fields = await db.HashGetAllAsync(prefix + tenant.KeyAt(Noon));

        Assert.Equal(prefix, store.KeyPrefix);
        Assert.Contains(fields, field => field.Name == "r:" + decision.Reservation!.Id && field.Value == "200000|0");
        Assert.Equal(1, await db.SortedSetLengthAsync(prefix + ":leases:" + tenant.KeyAt(Noon)));
        Assert.False(await db.KeyExistsAsync(RedisBudgetStore.DefaultKeyPrefix + tenant.KeyAt(Noon)));
    }

    [Fact]
    public async Task Renew_MovesTheLease_OnTheReservation()
    {
        var store = new RedisBudgetStore(server.Connection);
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);
        var held = (await store.ReserveAsync([user], new BudgetAmount(0.5m, 0), Lease, Noon)).Reservation!;

        Assert.True(await store.RenewAsync(held, Lease, Noon.AddMinutes(1)));

        Assert.Equal(Noon.AddMinutes(1) + Lease, held.LeaseExpires);
        Assert.Equal(0.5m, (await store.GetSpendAsync(user, Noon.AddMinutes(2.5))).Reserved.Usd);
    }

    [Fact]
    public async Task AnUnreachableServer_Throws_InsteadOfAdmitting()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { "127.0.0.1", ClosedPort() } },
            AbortOnConnectFail = false,
            ConnectTimeout = 500,
            AsyncTimeout = 1_000,
            BacklogPolicy = BacklogPolicy.FailFast,
        };
        using var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var store = new RedisBudgetStore(connection);
        var user = new BudgetScope(Kind("user"), "ada", hardLimitUsd: 1m);

        var failure = await Record.ExceptionAsync(async () => await store.ReserveAsync([user], new BudgetAmount(0.1m, 0), Lease, Noon));

        Assert.True(failure is RedisConnectionException or RedisTimeoutException, failure?.ToString());
    }

    private static void AssertExpiresIn(TimeSpan expected, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual!.Value, expected - TimeSpan.FromMinutes(1), expected);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
