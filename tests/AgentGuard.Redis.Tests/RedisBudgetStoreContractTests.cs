using AgentGuard.Tests.Scopes;

namespace AgentGuard.Redis.Tests;

/// <summary>The store contract on a Redis server (Garnet in process unless <c>AGENTGUARD_REDIS</c> names one).</summary>
[Collection(RedisServerCollection.Name)]
public sealed class RedisBudgetStoreContractTests(RedisServerFixture server) : BudgetStoreContract
{
    // Every test uses scope kinds of its own (Kind(...)), so the stores can share the server's key space.
    protected override IBudgetStore CreateStore() => new RedisBudgetStore(server.Connection);
}
