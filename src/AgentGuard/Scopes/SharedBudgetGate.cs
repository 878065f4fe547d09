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
    private readonly Timer? renewal;
    private int settled;

    private SharedBudgetGate(IBudgetStore store, BudgetReservation reservation, SharedBudgetOptions options)
    {
        this.store = store;
        this.reservation = reservation;

        // Renew at half the lease while the call runs, so a slow call keeps its hold and a dead process loses it.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, options.Lease.Ticks / 2));
        renewal = new Timer(static state => ((SharedBudgetGate)state!).Renew(), this, period, period);
        Options = options;
    }

    private SharedBudgetOptions Options { get; }

    /// <summary>
    /// Reserves the step in every shared budget that applies, or throws <see cref="BudgetExceededException"/> naming
    /// the one that refused (or an unreachable store, failing closed). <see langword="null"/> when none applies.
    /// </summary>
    public static async ValueTask<SharedBudgetGate?> ReserveAsync(AgentGuardOptions options, string? modelId, long inputTokens, int? outputCap, CostLedger ledger, CancellationToken cancellationToken)
    {
        if (options.SharedBudgets is not { } shared)
        {
            return null;
        }

        var scopes = shared.ScopesFor(BudgetContext.Current, options.AgentName);
        if (scopes.Count == 0)
        {
            return null;
        }

        // Like a run, reserve at least the size of the last step these budgets saw: an estimate can fall short of what
        // the provider bills, and requests to one agent or user are alike.
        inputTokens = Math.Max(inputTokens, Interlocked.Read(ref shared.LastStepTokens));
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
                throw new BudgetExceededException(BudgetLimit.HardCost, "The budget store could not be reached, so the shared budgets cannot be checked and the request is refused (SharedBudgetOptions.OnStoreFailure = FailClosed): " + ex.Message, ledger, scopes[0]);
            }

            store = shared.Fallback;
            decision = await store.ReserveAsync(scopes, amount, shared.Lease, now, cancellationToken).ConfigureAwait(false);
        }

        if (!decision.IsAdmitted)
        {
            AgentGuardTelemetry.RecordTrip(decision.Limit, options.AgentName, decision.Reason ?? "A shared budget refused the step.");
            throw new BudgetExceededException(decision.Limit, decision.Reason ?? "A shared budget refused the step.", ledger, decision.RefusedBy);
        }

        return new SharedBudgetGate(store, decision.Reservation!, shared);
    }

    /// <summary>Settles the hold: what the step cost, or nothing (released) when it was not sent.</summary>
    public async ValueTask SettleAsync(StepRecord? step)
    {
        if (Interlocked.Exchange(ref settled, 1) == 1)
        {
            return;
        }

        renewal?.Dispose();
        try
        {
            if (step is { } record)
            {
                Interlocked.Exchange(ref Options.LastStepTokens, record.Usage.TotalTokens);
                await store.CommitAsync(reservation, new BudgetAmount(record.CostUsd, record.Usage.TotalTokens)).ConfigureAwait(false);
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

    /// <summary>Stops renewing (the hold is settled or abandoned).</summary>
    public void Dispose() => renewal?.Dispose();

    private void Renew()
    {
        if (Volatile.Read(ref settled) == 1)
        {
            return;
        }

        _ = RenewAsync();
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
