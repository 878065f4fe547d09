using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>
/// Shared budgets kept in this process: exact and atomic across threads, gone when the process ends. The default
/// store; one process's tasks share it. For a fleet of processes use a shared store (AgentGuard.Redis).
/// </summary>
public sealed class InMemoryBudgetStore : IBudgetStore, ICircuitBreakerStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BreakerTrip> trips = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<long, decimal>> windows = new(StringComparer.Ordinal);
    private long nextId;
    private long operations;

    /// <inheritdoc/>
    public ValueTask<BudgetStoreDecision> ReserveAsync(IReadOnlyList<BudgetScope> scopes, BudgetAmount amount, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (scopes is null)
        {
            throw new ArgumentNullException(nameof(scopes));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            SweepIfDue(now);
            var keys = new List<string>(scopes.Count);
            for (var i = 0; i < scopes.Count; i++)
            {
                var scope = scopes[i];
                var key = scope.KeyAt(now);
                if (keys.Contains(key))
                {
                    // The same scope twice holds the amount once.
                    continue;
                }

                keys.Add(key);
                var entry = Get(key, scope, now);
                entry.Expire(now);
                if (scope.HardLimitUsd is decimal usd && entry.SpentUsd + entry.ReservedUsd + amount.Usd > usd)
                {
                    return new(BudgetStoreDecision.Refused(scope, BudgetLimit.HardCost, BudgetScopeMessages.Dollars(scope, entry.SpentUsd, entry.ReservedUsd, amount.Usd)));
                }

                if (scope.MaxTotalTokens is long tokens && entry.SpentTokens + entry.ReservedTokens + amount.Tokens > tokens)
                {
                    return new(BudgetStoreDecision.Refused(scope, BudgetLimit.TotalTokens, BudgetScopeMessages.Tokens(scope, entry.SpentTokens, entry.ReservedTokens, amount.Tokens)));
                }
            }

            var id = (++nextId).ToString(CultureInfo.InvariantCulture);
            var expires = now + lease;
            foreach (var key in keys)
            {
                entries[key].Hold(id, amount, expires);
            }

            return new(BudgetStoreDecision.Admitted(new BudgetReservation(id, keys, amount, expires)));
        }
    }

    /// <inheritdoc/>
    public ValueTask CommitAsync(BudgetReservation reservation, BudgetAmount actual, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        lock (gate)
        {
            foreach (var key in reservation.Keys)
            {
                if (entries.TryGetValue(key, out var entry))
                {
                    // Spent even if the lease ran out: the provider billed it.
                    entry.Drop(reservation.Id);
                    entry.Spend(actual);
                }
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        lock (gate)
        {
            foreach (var key in reservation.Keys)
            {
                if (entries.TryGetValue(key, out var entry))
                {
                    entry.Drop(reservation.Id);
                }
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RenewAsync(BudgetReservation reservation, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        lock (gate)
        {
            var renewed = false;
            foreach (var key in reservation.Keys)
            {
                if (entries.TryGetValue(key, out var entry))
                {
                    entry.Expire(now);
                    renewed |= entry.Renew(reservation.Id, now + lease);
                }
            }

            if (renewed)
            {
                reservation.LeaseExpires = now + lease;
            }

            return new(renewed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<ScopeSpend> GetSpendAsync(BudgetScope scope, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (scope is null)
        {
            throw new ArgumentNullException(nameof(scope));
        }

        lock (gate)
        {
            if (!entries.TryGetValue(scope.KeyAt(now), out var entry))
            {
                return new(default(ScopeSpend));
            }

            entry.Expire(now);
            return new(new ScopeSpend(new BudgetAmount(entry.SpentUsd, entry.SpentTokens), new BudgetAmount(entry.ReservedUsd, entry.ReservedTokens), entry.Count));
        }
    }

    /// <inheritdoc/>
    public ValueTask<BreakerTrip?> GetTripAsync(string accountId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (trips.TryGetValue(accountId, out var trip) && trip.Until is DateTimeOffset until && until <= now)
            {
                trips.Remove(accountId);
                trip = null;
            }

            return new(trip);
        }
    }

    /// <inheritdoc/>
    public ValueTask TripAsync(string accountId, BreakerTrip trip, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (!trips.ContainsKey(accountId))
            {
                trips[accountId] = trip;
            }
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask ResetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            trips.Remove(accountId);
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<decimal>> AddWindowSpendAsync(string accountId, DateTimeOffset now, decimal usd, TimeSpan window, int trailing, CancellationToken cancellationToken = default)
    {
        var current = now.UtcTicks / Math.Max(1, window.Ticks);
        lock (gate)
        {
            if (!windows.TryGetValue(accountId, out var buckets))
            {
                buckets = new Dictionary<long, decimal>();
                windows[accountId] = buckets;
            }

            buckets.TryGetValue(current, out var spent);
            buckets[current] = spent + usd;
            var result = new decimal[trailing + 1];
            for (var i = 0; i <= trailing; i++)
            {
                buckets.TryGetValue(current - i, out result[i]);
            }

            // Windows older than the trailing ones are not needed again.
            if (buckets.Count > (trailing + 1) * 2)
            {
                var old = new List<long>();
                foreach (var key in buckets.Keys)
                {
                    if (key < current - trailing)
                    {
                        old.Add(key);
                    }
                }

                foreach (var key in old)
                {
                    buckets.Remove(key);
                }
            }

            return new(result);
        }
    }

    private Entry Get(string key, BudgetScope scope, DateTimeOffset now)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(scope.PeriodEndAt(now));
            entries[key] = entry;
        }

        return entry;
    }

    // Periods that ended are dropped now and then, so daily keys do not pile up.
    private void SweepIfDue(DateTimeOffset now)
    {
        if (++operations % 1024 != 0)
        {
            return;
        }

        List<string>? ended = null;
        foreach (var pair in entries)
        {
            if (pair.Value.PeriodEnd is DateTimeOffset end && end <= now)
            {
                (ended ??= new()).Add(pair.Key);
            }
        }

        if (ended is not null)
        {
            foreach (var key in ended)
            {
                entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        private readonly Dictionary<string, (BudgetAmount Amount, DateTimeOffset Expires)> held = new(StringComparer.Ordinal);

        public Entry(DateTimeOffset? periodEnd) => PeriodEnd = periodEnd;

        public DateTimeOffset? PeriodEnd { get; }

        public decimal SpentUsd { get; private set; }

        public long SpentTokens { get; private set; }

        public decimal ReservedUsd { get; private set; }

        public long ReservedTokens { get; private set; }

        public int Count => held.Count;

        public void Hold(string id, BudgetAmount amount, DateTimeOffset expires)
        {
            held[id] = (amount, expires);
            ReservedUsd += amount.Usd;
            ReservedTokens += amount.Tokens;
        }

        public void Drop(string id)
        {
            if (held.TryGetValue(id, out var reservation))
            {
                held.Remove(id);
                ReservedUsd -= reservation.Amount.Usd;
                ReservedTokens -= reservation.Amount.Tokens;
            }
        }

        public bool Renew(string id, DateTimeOffset expires)
        {
            if (!held.TryGetValue(id, out var reservation))
            {
                return false;
            }

            held[id] = (reservation.Amount, expires);
            return true;
        }

        public void Spend(BudgetAmount actual)
        {
            SpentUsd += actual.Usd;
            SpentTokens += actual.Tokens;
        }

        // Leases that ran out give their amount back.
        public void Expire(DateTimeOffset now)
        {
            List<string>? expired = null;
            foreach (var pair in held)
            {
                if (pair.Value.Expires <= now)
                {
                    (expired ??= new()).Add(pair.Key);
                }
            }

            if (expired is not null)
            {
                foreach (var id in expired)
                {
                    Drop(id);
                }
            }
        }
    }
}
