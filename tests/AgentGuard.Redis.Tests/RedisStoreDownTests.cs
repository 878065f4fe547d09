using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using StackExchange.Redis;

namespace AgentGuard.Redis.Tests;

/// <summary>A store that cannot be reached, through the real client: the guard fails closed, or open to its fallback.</summary>
public sealed class RedisStoreDownTests
{
    private static ConnectionMultiplexer Unreachable()
    {
        // A loopback port nothing listens on: every command fails as against a server that is down.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = ConfigurationOptions.Parse("127.0.0.1:" + port);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 500;
        options.AsyncTimeout = 500;
        options.SyncTimeout = 500;
        return ConnectionMultiplexer.Connect(options);
    }

    private static BudgetChatClient Guard(CountingModel model, SharedBudgetOptions shared)
        => new(model, new AgentGuardOptions { ModelId = "gpt-4o", AgentName = "support", Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 }, SharedBudgets = shared });

    [Fact]
    public async Task StoreDown_FailClosed_RefusesWithoutCallingTheModel()
    {
        using var connection = Unreachable();
        var model = new CountingModel();
        var guard = Guard(model, new SharedBudgetOptions { Store = new RedisBudgetStore(connection), PerAgent = new ScopeLimits { HardLimitUsd = 10m, Period = BudgetPeriod.UtcDay } });

        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 300 }));

        Assert.Contains("could not be reached", stop.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public async Task StoreDown_FailOpen_GoesOnAgainstTheInProcessFallback_WithTheSameCap()
    {
        using var connection = Unreachable();
        var model = new CountingModel();
        var guard = Guard(model, new SharedBudgetOptions
        {
            Store = new RedisBudgetStore(connection),
            OnStoreFailure = BudgetStoreFailurePolicy.FailOpen,
            PerAgent = new ScopeLimits { HardLimitUsd = 0.10m, Period = BudgetPeriod.UtcDay },
        });

        BudgetExceededException? stop = null;
        for (var i = 0; i < 10 && stop is null; i++)
        {
            try
            {
                await guard.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 300 });
            }
            catch (BudgetExceededException ex)
            {
                stop = ex;
            }
        }

        Assert.Equal("agent", stop!.Scope!.Kind);
        Assert.InRange(model.Calls, 1, 3);
    }

    // gpt-4o: 10,000 in + 300 out = $0.028 a call.
    private sealed class CountingModel : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")) { Usage = new UsageDetails { InputTokenCount = 10_000, OutputTokenCount = 300 } });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
