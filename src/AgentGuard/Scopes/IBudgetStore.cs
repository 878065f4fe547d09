using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>Dollars and tokens: what a step reserves or spent.</summary>
public readonly struct BudgetAmount
{
    /// <summary>Creates an amount.</summary>
    public BudgetAmount(decimal usd, long tokens)
    {
        Usd = usd < 0 ? 0 : usd;
        Tokens = tokens < 0 ? 0 : tokens;
    }

    /// <summary>US dollars.</summary>
    public decimal Usd { get; }

    /// <summary>Tokens, input and output.</summary>
    public long Tokens { get; }

    /// <inheritdoc/>
    public override string ToString() => $"${Usd:0.######}, {Tokens} tokens";
}

/// <summary>
/// A step's claim on shared budgets, held by a store until it is committed or released — or until its lease runs out,
/// so the claim of a process that died comes back by itself.
/// </summary>
public sealed class BudgetReservation
{
    /// <summary>Creates a reservation (stores do).</summary>
    public BudgetReservation(string id, IReadOnlyList<string> keys, BudgetAmount amount, DateTimeOffset leaseExpires)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Keys = keys ?? throw new ArgumentNullException(nameof(keys));
        Amount = amount;
        LeaseExpires = leaseExpires;
    }

    /// <summary>The reservation's identifier in the store.</summary>
    public string Id { get; }

    /// <summary>The keys of the scope periods it holds (<see cref="BudgetScope.KeyAt"/>), fixed when it was made.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>What it holds in each of them.</summary>
    public BudgetAmount Amount { get; }

    /// <summary>When the store lets it go unless it is renewed, committed or released; a store moves it when it renews the lease.</summary>
    public DateTimeOffset LeaseExpires { get; set; }
}

/// <summary>A store's answer to a reservation: the reservation, or the scope that refused it and why.</summary>
public readonly struct BudgetStoreDecision
{
    private BudgetStoreDecision(BudgetReservation? reservation, BudgetScope? refusedBy, BudgetLimit limit, string? reason)
    {
        Reservation = reservation;
        RefusedBy = refusedBy;
        Limit = limit;
        Reason = reason;
    }

    /// <summary>Whether every scope admitted the amount.</summary>
    public bool IsAdmitted => Reservation is not null;

    /// <summary>The reservation, when admitted.</summary>
    public BudgetReservation? Reservation { get; }

    /// <summary>The first scope that refused, when refused.</summary>
    public BudgetScope? RefusedBy { get; }

    /// <summary>Which of its limits refused: <see cref="BudgetLimit.HardCost"/> or <see cref="BudgetLimit.TotalTokens"/>.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>Why, in words a person can act on.</summary>
    public string? Reason { get; }

    /// <summary>An admitted reservation.</summary>
    public static BudgetStoreDecision Admitted(BudgetReservation reservation)
        => new(reservation ?? throw new ArgumentNullException(nameof(reservation)), null, BudgetLimit.None, null);

    /// <summary>A refusal by <paramref name="scope"/>'s <paramref name="limit"/>.</summary>
    public static BudgetStoreDecision Refused(BudgetScope scope, BudgetLimit limit, string reason)
        => new(null, scope ?? throw new ArgumentNullException(nameof(scope)), limit, reason);
}

/// <summary>What a scope's current period has spent and holds.</summary>
public readonly struct ScopeSpend
{
    /// <summary>Creates a snapshot.</summary>
    public ScopeSpend(BudgetAmount spent, BudgetAmount reserved, int reservations)
    {
        Spent = spent;
        Reserved = reserved;
        Reservations = reservations;
    }

    /// <summary>What committed steps spent.</summary>
    public BudgetAmount Spent { get; }

    /// <summary>What steps in flight hold (reservations whose lease has not run out).</summary>
    public BudgetAmount Reserved { get; }

    /// <summary>How many steps are in flight.</summary>
    public int Reservations { get; }

    /// <inheritdoc/>
    public override string ToString() => $"spent {Spent}, reserved {Reserved} in {Reservations} step(s)";
}

/// <summary>
/// Where shared budgets are kept: per scope and period, what was spent and what steps in flight hold. Every
/// operation is atomic across the scopes it names: a reservation is admitted by all of them or by none, and
/// never passes a limit — so many tasks and many processes together overshoot a limit by at most what a provider
/// bills beyond the reservations in flight. <see cref="InMemoryBudgetStore"/> keeps them in the process; a shared
/// store (AgentGuard.Redis) keeps them for a fleet.
/// </summary>
public interface IBudgetStore
{
    /// <summary>
    /// Reserves <paramref name="amount"/> in each scope's current period if every one of them can hold it beside what
    /// it has spent and holds; the reservation expires after <paramref name="lease"/> unless renewed.
    /// </summary>
    ValueTask<BudgetStoreDecision> ReserveAsync(IReadOnlyList<BudgetScope> scopes, BudgetAmount amount, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Replaces the reservation with what the step really cost, in every scope it was made in.</summary>
    ValueTask CommitAsync(BudgetReservation reservation, BudgetAmount actual, CancellationToken cancellationToken = default);

    /// <summary>Lets the reservation go without spending anything (the step was not sent).</summary>
    ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Extends the reservation's lease; <see langword="false"/> when it has already expired (its amount went back).</summary>
    ValueTask<bool> RenewAsync(BudgetReservation reservation, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>What <paramref name="scope"/>'s period containing <paramref name="now"/> has spent and holds: for dashboards and chargeback.</summary>
    ValueTask<ScopeSpend> GetSpendAsync(BudgetScope scope, DateTimeOffset now, CancellationToken cancellationToken = default);
}
