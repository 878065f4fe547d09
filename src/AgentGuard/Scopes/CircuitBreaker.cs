using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>
/// The account's circuit breaker: stops every model call of the account — in every process that shares the store —
/// when spend in a period passes a ceiling, or when the spend rate jumps far above its usual level (a stolen key, a
/// deployment bug, a loop across services). It stays tripped, with its reason, until it is reset by hand or the
/// period rolls over.
/// </summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>Spend in one <see cref="Period"/> at which the breaker trips. None unless set.</summary>
    public decimal? CeilingUsd { get; set; }

    /// <summary>The period of the ceiling (and when a trip ends by itself). A UTC day unless set.</summary>
    public BudgetPeriod Period { get; set; } = BudgetPeriod.UtcDay;

    /// <summary>
    /// How many times the trailing median of per-<see cref="Window"/> spend the current window may reach before the
    /// breaker trips. None unless set.
    /// </summary>
    public double? RateMultiple { get; set; }

    /// <summary>The window spend rates are measured over. One minute unless set.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many past windows the median is taken over. 60 unless set.</summary>
    public int TrailingWindows { get; set; } = 60;

    /// <summary>
    /// Spend in the current window below which the rate never trips the breaker, however quiet the account was
    /// before: small absolute spend is never an emergency. $1 unless set.
    /// </summary>
    public decimal MinimumWindowUsd { get; set; } = 1m;
}

/// <summary>Why the breaker is tripped and until when.</summary>
public sealed class BreakerTrip
{
    /// <summary>Creates a trip.</summary>
    public BreakerTrip(string reason, DateTimeOffset trippedAt, DateTimeOffset? until)
    {
        Reason = reason ?? throw new ArgumentNullException(nameof(reason));
        TrippedAt = trippedAt;
        Until = until;
    }

    /// <summary>What tripped it.</summary>
    public string Reason { get; }

    /// <summary>When.</summary>
    public DateTimeOffset TrippedAt { get; }

    /// <summary>When it ends by itself (the period's roll-over); <see langword="null"/> when only a reset ends it.</summary>
    public DateTimeOffset? Until { get; }
}

/// <summary>
/// Where an account's circuit breaker keeps its shared state: the trip, and spend per time window for the rate.
/// <see cref="InMemoryBudgetStore"/> implements it; a shared store makes a trip visible to every process.
/// </summary>
public interface ICircuitBreakerStore
{
    /// <summary>The account's trip, if it is tripped at <paramref name="now"/>.</summary>
    ValueTask<BreakerTrip?> GetTripAsync(string accountId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Trips the account's breaker (the first trip stands until it ends).</summary>
    ValueTask TripAsync(string accountId, BreakerTrip trip, CancellationToken cancellationToken = default);

    /// <summary>Resets the account's breaker by hand.</summary>
    ValueTask ResetAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="usd"/> to the account's spend in the window containing <paramref name="now"/> and returns
    /// that window's spend followed by the <paramref name="trailing"/> windows before it (oldest last; 0 for empty ones).
    /// </summary>
    ValueTask<IReadOnlyList<decimal>> AddWindowSpendAsync(string accountId, DateTimeOffset now, decimal usd, TimeSpan window, int trailing, CancellationToken cancellationToken = default);
}

/// <summary>Decides whether the spend of a window trips the breaker.</summary>
public static class SpendRate
{
    /// <summary>
    /// The trip reason when <paramref name="windows"/>[0] (the current window) is at least
    /// <see cref="CircuitBreakerOptions.MinimumWindowUsd"/> and more than <see cref="CircuitBreakerOptions.RateMultiple"/>
    /// times the median of the windows before it; <see langword="null"/> otherwise — and while fewer than half the windows
    /// before it saw any spend: an account just started, or back from a quiet hour, has no usual rate to compare with.
    /// </summary>
    public static string? Exceeded(IReadOnlyList<decimal> windows, CircuitBreakerOptions options)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.RateMultiple is not double multiple || windows is null || windows.Count < 2 || windows[0] < options.MinimumWindowUsd)
        {
            return null;
        }

        var past = new decimal[windows.Count - 1];
        for (var i = 1; i < windows.Count; i++)
        {
            past[i - 1] = windows[i];
        }

        var active = 0;
        foreach (var spend in past)
        {
            if (spend > 0)
            {
                active++;
            }
        }

        if (active * 2 < past.Length)
        {
            return null;
        }

        Array.Sort(past);
        var median = past.Length % 2 == 1 ? past[past.Length / 2] : (past[(past.Length / 2) - 1] + past[past.Length / 2]) / 2;
        var threshold = median * (decimal)multiple;
        return windows[0] > threshold
            ? $"Spend of ${windows[0]:0.######} in the last {options.Window.TotalMinutes:0.#} minute(s) is more than {multiple:0.#}× the usual ${median:0.######} (the median of the {past.Length} windows before it)."
            : null;
    }
}
