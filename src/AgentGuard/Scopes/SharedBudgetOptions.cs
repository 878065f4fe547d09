using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>The limits of one kind of shared budget, and how often its spend starts again.</summary>
public sealed class ScopeLimits
{
    /// <summary>The most a scope may spend in a period.</summary>
    public decimal? HardLimitUsd { get; init; }

    /// <summary>The most tokens a scope may use in a period.</summary>
    public long? MaxTotalTokens { get; init; }

    /// <summary>When the spend starts again. <see cref="BudgetPeriod.Lifetime"/> unless set.</summary>
    public BudgetPeriod Period { get; init; }

    internal BudgetScope For(string kind, string id) => new(kind, id, Period, HardLimitUsd, MaxTotalTokens);
}

/// <summary>What to do when the budget store cannot be reached.</summary>
public enum BudgetStoreFailurePolicy
{
    /// <summary>Refuse the request (<see cref="BudgetExceededException"/>, a stopped run): no spend the budgets cannot see. The default.</summary>
    FailClosed,

    /// <summary>Go on against a budget kept in this process (<see cref="SharedBudgetOptions.Fallback"/>), with the same limits.</summary>
    FailOpen,
}

/// <summary>
/// Budgets beyond one run: per account, tenant, user, agent and session, each with a period (a UTC day, a month, or
/// for ever), kept in an <see cref="IBudgetStore"/> — in this process by default, or shared by a fleet
/// (AgentGuard.Redis). Every model call through a guard or a generated agent, in a run or not, must fit every scope
/// that applies to it; which apply comes from <see cref="BudgetContext.Current"/> (user, tenant, session) and the
/// agent's name.
/// </summary>
public sealed class SharedBudgetOptions
{
    private IBudgetStore store = new InMemoryBudgetStore();
    private IBudgetStore fallback = new InMemoryBudgetStore();
    private TimeSpan lease = TimeSpan.FromMinutes(2);
    private int warnedUnbounded;

    /// <summary>Where the budgets are kept. An <see cref="InMemoryBudgetStore"/> unless set.</summary>
    public IBudgetStore Store
    {
        get => store;
        set => store = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The account's identifier in the store (one account's budget for everything). <c>default</c> unless set.</summary>
    public string AccountId { get; set; } = "default";

    /// <summary>The account's limits: every call counts. None unless set.</summary>
    public ScopeLimits? Account { get; set; }

    /// <summary>Each tenant's limits (<see cref="BudgetContext.TenantId"/>).</summary>
    public ScopeLimits? PerTenant { get; set; }

    /// <summary>Each user's limits (<see cref="BudgetContext.UserId"/>).</summary>
    public ScopeLimits? PerUser { get; set; }

    /// <summary>Each agent's limits (<see cref="AgentGuardOptions.AgentName"/>), such as a daily cap per agent.</summary>
    public ScopeLimits? PerAgent { get; set; }

    /// <summary>Each session's limits (<see cref="BudgetContext.SessionId"/>).</summary>
    public ScopeLimits? PerSession { get; set; }

    /// <summary>
    /// How long the store holds a step's reservation before giving it back by itself (the lease of a process that
    /// died). The guard renews it while a call runs. Two minutes unless set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not between one second and one day.</exception>
    public TimeSpan Lease
    {
        get => lease;
        set => lease = value >= TimeSpan.FromSeconds(1) && value <= TimeSpan.FromDays(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "A lease must be between one second and one day: long enough for a call, short enough for a dead process's hold to come back.");
    }

    /// <summary>What to do when the store cannot be reached. <see cref="BudgetStoreFailurePolicy.FailClosed"/> unless set.</summary>
    public BudgetStoreFailurePolicy OnStoreFailure { get; set; }

    /// <summary>The in-process budget used while the store cannot be reached, under <see cref="BudgetStoreFailurePolicy.FailOpen"/>.</summary>
    /// <remarks>Each process has its own: while the store is down, N processes may together spend N times a cap.</remarks>
    public IBudgetStore Fallback
    {
        get => fallback;
        set => fallback = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The account's circuit breaker: a spend ceiling per period and a spend-rate jump that stop every call of the
    /// account until reset or roll-over. Needs a store that is also an <see cref="ICircuitBreakerStore"/> (the
    /// in-process store and the Redis store are). None unless set.
    /// </summary>
    public CircuitBreakerOptions? Breaker { get; set; }

    /// <summary>Resets the account's tripped circuit breaker by hand.</summary>
    public ValueTask ResetBreakerAsync(CancellationToken cancellationToken = default)
        => Store is ICircuitBreakerStore breakers ? breakers.ResetAsync(AccountId, cancellationToken) : default;

    /// <summary>The account's breaker trip, if it is tripped now.</summary>
    public ValueTask<BreakerTrip?> GetBreakerTripAsync(CancellationToken cancellationToken = default)
        => Store is ICircuitBreakerStore breakers ? breakers.GetTripAsync(AccountId, Clock(), cancellationToken) : new((BreakerTrip?)null);

    /// <summary>The clock the periods and leases follow. UTC now unless set (tests set it).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = static () => DateTimeOffset.UtcNow;

    // The size of each agent's last step committed through these options: the floor of its next reservation.
    internal System.Collections.Concurrent.ConcurrentDictionary<string, long> LastStepTokens { get; } = new(StringComparer.Ordinal);

    // A dollar budget over calls with no output cap is reserved without their output: say so once.
    internal void WarnIfOutputUnbounded(IReadOnlyList<BudgetScope> scopes)
    {
        foreach (var scope in scopes)
        {
            if (scope.HardLimitUsd is not null && Interlocked.Exchange(ref warnedUnbounded, 1) == 0)
            {
                System.Diagnostics.Trace.TraceWarning("AgentGuard: a shared dollar budget ({0}) is checked for calls with no output cap (set BudgetPolicy.MaxOutputTokensPerStep): each is reserved without its output, so concurrent calls can pass the cap by their output.", scope);
                return;
            }
        }
    }

    internal BudgetScope BreakerScope(CircuitBreakerOptions breaker) => new("breaker", AccountId, breaker.Period);

    /// <summary>The scopes a call for <paramref name="context"/> by <paramref name="agentName"/> must fit.</summary>
    public IReadOnlyList<BudgetScope> ScopesFor(BudgetContext? context, string? agentName)
    {
        var scopes = new List<BudgetScope>(5);
        if (Account is { } account)
        {
            scopes.Add(account.For("account", AccountId));
        }

        if (PerTenant is { } tenant && context?.TenantId is { } tenantId)
        {
            scopes.Add(tenant.For("tenant", tenantId));
        }

        if (PerUser is { } user && context?.UserId is { } userId)
        {
            scopes.Add(user.For("user", userId));
        }

        if (PerAgent is { } agent && agentName is not null)
        {
            scopes.Add(agent.For("agent", agentName));
        }

        if (PerSession is { } session && context?.SessionId is { } sessionId)
        {
            scopes.Add(session.For("session", sessionId));
        }

        if (Breaker is { } breaker)
        {
            // Limitless: it only counts the account's spend in the breaker's period, for the ceiling and the rate.
            scopes.Add(BreakerScope(breaker));
        }

        return scopes;
    }
}
