using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>
/// A step's hold on the shared budgets that apply to it: reserved before the call, renewed while it runs, settled
/// with what it cost. The guard and the generated loop both go through it.
/// </summary>
internal sealed class SharedBudgetGate : IDisposable
{
    private readonly IBudgetStore store;
    private readonly BudgetReservation reservation;
    private readonly string floorKey;
    private readonly Renewal renewal;
    private int settled;

    private SharedBudgetGate(IBudgetStore store, BudgetReservation reservation, SharedBudgetOptions options, string floorKey)
    {
        this.store = store;
        this.reservation = reservation;
        this.floorKey = floorKey;
        Options = options;

        // Renew at half the lease while the call runs, so a slow call keeps its hold and a dead process loses it. The
        // timer holds the gate weakly: a gate nobody settles and nobody holds (a stream abandoned undisposed) stops
        // renewing once collected, and its lease returns the amount.
        renewal = new Renewal(this, TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, options.Lease.Ticks / 2)));
    }

    private SharedBudgetOptions Options { get; }

    /// <summary>
    /// Reserves the step in every shared budget that applies, or throws <see cref="BudgetExceededException"/> naming
    /// the one that refused (or an unreachable store, failing closed). <see langword="null"/> when none applies.
    /// </summary>
    public static async ValueTask<SharedBudgetGate?> ReserveAsync(SharedBudgetOptions? shared, BudgetContext? context, AgentGuardOptions options, string? modelId, long inputTokens, int? outputCap, CostLedger ledger, CancellationToken cancellationToken)
    {
        if (shared is null)
        {
            return null;
        }

        var scopes = shared.ScopesFor(context, options.AgentName);
        if (scopes.Count == 0)
        {
            return null;
        }

        // Like a run, reserve at least the size of the agent's last step: an estimate can fall short of what the
        // provider bills, and one agent's requests are alike.
        var floorKey = options.AgentName ?? string.Empty;
        inputTokens = Math.Max(inputTokens, shared.LastStepTokens.TryGetValue(floorKey, out var floor) ? floor : 0);
        if (outputCap is null)
        {
            shared.WarnIfOutputUnbounded(scopes);
        }

        var cap = outputCap ?? 0;
        var usd = 0m;
        foreach (var scope in scopes)
        {
            if (scope.HardLimitUsd is not null)
            {
                // A dollar budget over a model with no price fails closed, as a run's does.
                usd = options.Prices.GetPrice(modelId).WorstCaseStepCost(Math.Max(0, inputTokens), cap);
                break;
            }
        }

        var amount = new BudgetAmount(usd, Math.Max(0, inputTokens) + cap);
        var now = shared.Clock();
        var store = shared.Store;
        BudgetStoreDecision decision;
        try
        {
            if (shared.Breaker is not null && store is ICircuitBreakerStore breakers
                && await breakers.GetTripAsync(shared.AccountId, now, cancellationToken).ConfigureAwait(false) is { } trip)
            {
                AgentGuardTelemetry.RecordTrip(BudgetLimit.CircuitBreaker, options.AgentName, trip.Reason);
                throw new BudgetExceededException(
                    BudgetLimit.CircuitBreaker,
                    $"The account's circuit breaker is tripped: {trip.Reason} Every call of the account is refused until it is reset (SharedBudgetOptions.ResetBreakerAsync){(trip.Until is DateTimeOffset until ? " or the period rolls over at " + until.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}.",
                    ledger,
                    new BudgetScope("account", shared.AccountId));
            }

            decision = await store.ReserveAsync(scopes, amount, shared.Lease, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not BudgetExceededException && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            AgentGuardTelemetry.RecordStoreFailure(shared.OnStoreFailure == BudgetStoreFailurePolicy.FailOpen ? "fail_open" : "fail_closed");
            Trace.TraceWarning("AgentGuard: the budget store could not be reached ({0}); {1}.", ex.Message, shared.OnStoreFailure == BudgetStoreFailurePolicy.FailOpen ? "going on against the in-process fallback budget" : "refusing the request");
            if (shared.OnStoreFailure != BudgetStoreFailurePolicy.FailOpen)
            {
                throw new BudgetExceededException(BudgetLimit.StoreUnavailable, "The budget store could not be reached, so the shared budgets cannot be checked and the request is refused (SharedBudgetOptions.OnStoreFailure = FailClosed): " + ex.Message, ledger);
            }

            store = shared.Fallback;
            decision = await store.ReserveAsync(scopes, amount, shared.Lease, now, cancellationToken).ConfigureAwait(false);
        }

        if (!decision.IsAdmitted)
        {
            AgentGuardTelemetry.RecordTrip(decision.Limit, options.AgentName, decision.Reason ?? "A shared budget refused the step.");
            throw new BudgetExceededException(decision.Limit, decision.Reason ?? "A shared budget refused the step.", ledger, decision.RefusedBy);
        }

        return new SharedBudgetGate(store, decision.Reservation!, shared, floorKey);
    }

    /// <summary>Settles the hold: what the step cost, or nothing (released) when it was not sent.</summary>
    public async ValueTask SettleAsync(StepRecord? step)
    {
        if (Interlocked.Exchange(ref settled, 1) == 1)
        {
            return;
        }

        renewal.Dispose();
        try
        {
            if (step is { } record)
            {
                Options.LastStepTokens[floorKey] = record.Usage.TotalTokens;
                await CommitAsync(new BudgetAmount(record.CostUsd, record.Usage.TotalTokens)).ConfigureAwait(false);
                if (Options.Breaker is { } breaker && store is ICircuitBreakerStore breakers)
                {
                    await CheckBreakerAsync(breaker, breakers, record.CostUsd).ConfigureAwait(false);
                }
            }
            else
            {
                await store.ReleaseAsync(reservation).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // The call is over either way; the reservation's lease returns what it held, the spend is logged and counted.
            AgentGuardTelemetry.RecordStoreFailure("settle");
            Trace.TraceWarning("AgentGuard: the budget store could not record a step ({0}); its reservation returns when its lease ends.", ex.Message);
        }
    }

    // After a step's spend is counted: trip the account's breaker if the period's spend reached the ceiling or this
    // window's spend jumped far above the usual. Every process sees the trip on its next reservation.
    private async ValueTask CheckBreakerAsync(CircuitBreakerOptions breaker, ICircuitBreakerStore breakers, decimal usd)
    {
        var now = Options.Clock();
        string? reason = null;
        if (breaker.RateMultiple is not null)
        {
            var windows = await breakers.AddWindowSpendAsync(Options.AccountId, now, usd, breaker.Window, breaker.TrailingWindows).ConfigureAwait(false);
            reason = SpendRate.Exceeded(windows, breaker);
        }

        if (reason is null && breaker.CeilingUsd is decimal ceiling)
        {
            var scope = Options.BreakerScope(breaker);
            var spent = (await store.GetSpendAsync(scope, now).ConfigureAwait(false)).Spent.Usd;
            if (spent >= ceiling)
            {
                reason = $"Spend of ${spent:0.######} in this period reached the account's ${ceiling} ceiling.";
            }
        }

        if (reason is not null)
        {
            AgentGuardTelemetry.RecordTrip(BudgetLimit.CircuitBreaker, null, reason);
            Trace.TraceWarning("AgentGuard: the account's circuit breaker tripped: {0}", reason);
            await breakers.TripAsync(Options.AccountId, new BreakerTrip(reason, now, Options.BreakerScope(breaker).PeriodEndAt(now))).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the hold if nothing settled it (the call's accounting failed part-way), and stops renewing.</summary>
    public void Dispose()
    {
        renewal.Dispose();
        if (Volatile.Read(ref settled) == 0)
        {
            _ = SettleAsync(null).AsTask();
        }
    }

    // A commit that fails once is tried again: a lost commit is spend the budgets never see.
    private async ValueTask CommitAsync(BudgetAmount actual)
    {
        try
        {
            await store.CommitAsync(reservation, actual).ConfigureAwait(false);
        }
        catch (Exception) when (!ReferenceEquals(store, Options.Fallback))
        {
            await Task.Delay(100).ConfigureAwait(false);
            await store.CommitAsync(reservation, actual).ConfigureAwait(false);
        }
    }

    private void Renew()
    {
        if (Volatile.Read(ref settled) == 1)
        {
            return;
        }

        _ = RenewAsync();
    }

    private sealed class Renewal : IDisposable
    {
        private readonly WeakReference<SharedBudgetGate> gate;
        private readonly Timer timer;

        public Renewal(SharedBudgetGate gate, TimeSpan period)
        {
            this.gate = new WeakReference<SharedBudgetGate>(gate);
            timer = new Timer(static state => ((Renewal)state!).Tick(), this, period, period);
        }

        public void Dispose() => timer.Dispose();

        private void Tick()
        {
            if (gate.TryGetTarget(out var target))
            {
                target.Renew();
            }
            else
            {
                timer.Dispose();
            }
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            await store.RenewAsync(reservation, Options.Lease, Options.Clock()).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentGuardTelemetry.RecordStoreFailure("renew");
            Trace.TraceWarning("AgentGuard: the budget store could not renew a reservation ({0}).", ex.Message);
        }
    }
}
