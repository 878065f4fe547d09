using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentGuard.Redis;
using BenchmarkDotNet.Attributes;
using Garnet;
using StackExchange.Redis;

namespace AgentGuard.Benchmarks;

/// <summary>
/// What a shared budget adds to a model call: one reserve and one commit over three scopes (account, user, agent per
/// day), in this process, on Garnet and on Redis over loopback — one at a time, and with 8 and 64 calls at once.
/// Redis is measured when <c>AGENTGUARD_REDIS</c> names a server (e.g. a local redis-server), else skipped.
/// </summary>
[MemoryDiagnoser]
public class BudgetStoreBenchmarks
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private IBudgetStore store = null!;
    private GarnetServer? garnet;
    private ConnectionMultiplexer? connection;
    private BudgetScope[] scopes = null!;

    /// <summary>Where the budgets are kept.</summary>
    [Params("in-memory", "garnet", "redis")]
    public string Store { get; set; } = "in-memory";

    /// <summary>Calls reserving and committing at once.</summary>
    [Params(1, 8, 64)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Limits no benchmark reaches: every reservation is admitted, as for a healthy fleet.
        scopes =
        [
            new BudgetScope("account", "bench", BudgetPeriod.UtcMonth, hardLimitUsd: 1_000_000_000m),
            new BudgetScope("user", "ada", BudgetPeriod.UtcDay, hardLimitUsd: 1_000_000_000m),
            new BudgetScope("agent", "support", BudgetPeriod.UtcDay, maxTotalTokens: long.MaxValue / 2),
        ];
        switch (Store)
        {
            case "garnet":
                var port = FreePort();
                garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "--memory", "256m", "--index", "16m", "--logger-level", "Error"]);
                garnet.Start();
                connection = ConnectionMultiplexer.Connect("127.0.0.1:" + port);
                store = new RedisBudgetStore(connection, "bench:" + Guid.NewGuid().ToString("N")[..6] + ":");
                break;
            case "redis":
                var server = Environment.GetEnvironmentVariable("AGENTGUARD_REDIS");
                if (string.IsNullOrWhiteSpace(server))
                {
                    throw new InvalidOperationException("Set AGENTGUARD_REDIS to a Redis server (e.g. 127.0.0.1:6379) to measure the Redis store.");
                }

                connection = ConnectionMultiplexer.Connect(server);
                store = new RedisBudgetStore(connection, "bench:" + Guid.NewGuid().ToString("N")[..6] + ":");
                break;
            default:
                store = new InMemoryBudgetStore();
                break;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        connection?.Dispose();
        garnet?.Dispose();
    }

    /// <summary>One model call's worth of shared-budget work, <see cref="Concurrency"/> at once.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public async Task ReserveAndCommit()
    {
        var perTask = 64 / Concurrency;
        var tasks = new Task[Concurrency];
        for (var t = 0; t < Concurrency; t++)
        {
            tasks[t] = RunAsync(perTask);
        }

        await Task.WhenAll(tasks);
    }

    /// <summary>The yardstick: one loopback round trip (PING) per call, <see cref="Concurrency"/> at once; nothing for the in-process store.</summary>
    [Benchmark(OperationsPerInvoke = 64)]
    public async Task RoundTrip()
    {
        if (connection is null)
        {
            return;
        }

        var database = connection.GetDatabase();
        var perTask = 64 / Concurrency;
        var tasks = new Task[Concurrency];
        for (var t = 0; t < Concurrency; t++)
        {
            tasks[t] = PingAsync(database, perTask);
        }

        await Task.WhenAll(tasks);
    }

    private static async Task PingAsync(IDatabase database, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            await database.PingAsync();
        }
    }

    private async Task RunAsync(int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var decision = await store.ReserveAsync(scopes, new BudgetAmount(0.03m, 10_300), Lease, now);
            await store.CommitAsync(decision.Reservation!, new BudgetAmount(0.028m, 10_300));
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
