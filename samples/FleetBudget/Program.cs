using System;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard;
using AgentGuard.Redis;
using FleetBudget;
using Garnet;
using Microsoft.Extensions.AI;
using StackExchange.Redis;

// AgentGuard sample: two worker processes share one daily budget per agent on a Redis-compatible store.
//
// `dotnet run --project samples/FleetBudget` starts a Garnet server in this process (or uses the Redis server named
// by AGENTGUARD_REDIS), then two worker processes that call a scripted model through AgentGuard's guard until the
// agent's shared daily cap stops them both. Then it kills a worker with SIGKILL in the middle of a call and shows its
// reservation coming back when its lease runs out. No key and no network.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "worker")
{
    return await Worker.RunAsync(args[1], args[2], args[3], hang: args.Length > 4 && args[4] == "hang");
}

var external = Environment.GetEnvironmentVariable("AGENTGUARD_REDIS");
GarnetServer? garnet = null;
string server;
if (string.IsNullOrWhiteSpace(external))
{
    var port = FreePort();
    garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--lua", "--memory", "64m", "--index", "1m", "--logger-level", "Warning"]);
    garnet.Start();
    server = "127.0.0.1:" + port;
    Console.WriteLine($"Garnet started in this process on {server} (set AGENTGUARD_REDIS to use a Redis server instead).");
}
else
{
    server = external;
    Console.WriteLine($"Using the Redis server at {server}.");
}

try
{
    using var connection = await ConnectionMultiplexer.ConnectAsync(server);
    var store = new RedisBudgetStore(connection);
    var run = Guid.NewGuid().ToString("N")[..6];

    // Part 1: two workers, one agent, one daily cap.
    var agent = "support-" + run;
    var daily = new BudgetScope("agent", agent, BudgetPeriod.UtcDay, hardLimitUsd: Worker.DailyCapUsd);
    Console.WriteLine();
    Console.WriteLine($"Part 1 — two worker processes, agent '{agent}', a ${Worker.DailyCapUsd} daily cap shared on the store ($0.028 a call)");
    using (var first = StartWorker(server, agent, "worker-1"))
    using (var second = StartWorker(server, agent, "worker-2"))
    {
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());
    }

    var spend = await store.GetSpendAsync(daily, DateTimeOffset.UtcNow);
    Console.WriteLine($"  the fleet spent ${spend.Spent.Usd:0.000000} of the ${Worker.DailyCapUsd} cap; {spend.Reservations} reservation(s) in flight");

    // Part 2: a worker killed in the middle of a call; its reservation comes back when its lease runs out.
    var crashing = "crashing-" + run;
    var scope = new BudgetScope("agent", crashing, BudgetPeriod.UtcDay, hardLimitUsd: Worker.DailyCapUsd);
    Console.WriteLine();
    Console.WriteLine($"Part 2 — kill -9 of a worker in the middle of a call (lease {Worker.Lease.TotalSeconds:0} s)");
    using (var hanging = StartWorker(server, crashing, "worker-3", hang: true))
    {
        var held = await WaitAsync(async () => (await store.GetSpendAsync(scope, DateTimeOffset.UtcNow)).Reservations > 0, TimeSpan.FromSeconds(30));
        Console.WriteLine(held ? "  worker-3 holds a reservation while its model call runs" : "  worker-3 never reserved (see its output)");
        hanging.Kill();
        await hanging.WaitForExitAsync();
        Console.WriteLine($"  killed worker-3 (pid {hanging.Id}) with SIGKILL: nothing will settle or renew its reservation");
    }

    var killedAt = Stopwatch.StartNew();
    Console.WriteLine($"  right after the kill: {await store.GetSpendAsync(scope, DateTimeOffset.UtcNow)}");
    var returned = await WaitAsync(async () => (await store.GetSpendAsync(scope, DateTimeOffset.UtcNow)).Reservations == 0, Worker.Lease + TimeSpan.FromSeconds(10));
    Console.WriteLine(returned
        ? $"  {killedAt.Elapsed.TotalSeconds:0.0} s later the lease ran out and the amount came back: {await store.GetSpendAsync(scope, DateTimeOffset.UtcNow)}"
        : "  the reservation did not come back in time");
    return returned ? 0 : 1;
}
finally
{
    garnet?.Dispose();
}

static Process StartWorker(string server, string agent, string name, bool hang = false)
{
    // Run this same program as a worker, as a fleet would run many copies of one service.
    var self = typeof(Worker).Assembly.Location;
    var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
    start.ArgumentList.Add(self);
    start.ArgumentList.Add("worker");
    start.ArgumentList.Add(server);
    start.ArgumentList.Add(agent);
    start.ArgumentList.Add(name);
    if (hang)
    {
        start.ArgumentList.Add("hang");
    }

    return Process.Start(start) ?? throw new InvalidOperationException("Could not start a worker process.");
}

static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < timeout)
    {
        if (await condition())
        {
            return true;
        }

        await Task.Delay(200);
    }

    return false;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}
