using System;
using System.Globalization;

namespace AgentGuard;

/// <summary>How long a shared budget's spend accumulates before it starts again.</summary>
public enum BudgetPeriod
{
    /// <summary>Never rolls over.</summary>
    Lifetime,

    /// <summary>Rolls over at midnight UTC.</summary>
    UtcDay,

    /// <summary>Rolls over at the first of the month, midnight UTC.</summary>
    UtcMonth,
}

/// <summary>
/// One budget shared beyond a run — an account's, a tenant's, a user's, an agent's per day — that every request it
/// applies to must fit, across threads and, with a shared <see cref="IBudgetStore"/>, across processes.
/// </summary>
public sealed class BudgetScope
{
    /// <summary>Creates a scope.</summary>
    /// <param name="kind">What the scope is for: <c>account</c>, <c>tenant</c>, <c>user</c>, <c>agent</c>, <c>session</c>, or a kind of your own.</param>
    /// <param name="id">Whose it is: the tenant's, user's or agent's identifier.</param>
    /// <param name="period">When its spend starts again.</param>
    /// <param name="hardLimitUsd">The most it may spend in a period; none when <see langword="null"/>.</param>
    /// <param name="maxTotalTokens">The most tokens it may use in a period; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A blank kind or id, or a limit that is not positive.</exception>
    public BudgetScope(string kind, string id, BudgetPeriod period = BudgetPeriod.Lifetime, decimal? hardLimitUsd = null, long? maxTotalTokens = null)
    {
        if (string.IsNullOrWhiteSpace(kind) || kind.IndexOf(':') >= 0)
        {
            throw new ArgumentException("A budget scope's kind must be a non-blank name without ':'.", nameof(kind));
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ArgumentException("A budget scope's id must not be blank.", nameof(id));
        }

        if (hardLimitUsd is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(hardLimitUsd), hardLimitUsd, "A scope's dollar limit must be positive; leave it unset for none.");
        }

        if (maxTotalTokens is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTotalTokens), maxTotalTokens, "A scope's token limit must be positive; leave it unset for none.");
        }

        Kind = kind;
        Id = id;
        Period = period;
        HardLimitUsd = hardLimitUsd;
        MaxTotalTokens = maxTotalTokens;
    }

    /// <summary>What the scope is for (<c>account</c>, <c>tenant</c>, <c>user</c>, <c>agent</c>, …).</summary>
    public string Kind { get; }

    /// <summary>Whose it is.</summary>
    public string Id { get; }

    /// <summary>When its spend starts again.</summary>
    public BudgetPeriod Period { get; }

    /// <summary>The most it may spend in a period.</summary>
    public decimal? HardLimitUsd { get; }

    /// <summary>The most tokens it may use in a period.</summary>
    public long? MaxTotalTokens { get; }

    /// <summary>
    /// The key of the scope's period that contains <paramref name="now"/>: <c>kind:id</c>, then <c>:yyyy-MM-dd</c> or
    /// <c>:yyyy-MM</c> for a daily or monthly budget. Stores keep one total per key.
    /// </summary>
    public string KeyAt(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return Period switch
        {
            BudgetPeriod.UtcDay => Kind + ":" + Id + ":" + utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            BudgetPeriod.UtcMonth => Kind + ":" + Id + ":" + utc.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => Kind + ":" + Id,
        };
    }

    /// <summary>When the period containing <paramref name="now"/> ends (a store may drop its key after); <see langword="null"/> for a lifetime budget.</summary>
    public DateTimeOffset? PeriodEndAt(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return Period switch
        {
            BudgetPeriod.UtcDay => new DateTimeOffset(utc.Date.AddDays(1), TimeSpan.Zero),
            BudgetPeriod.UtcMonth => new DateTimeOffset(new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1), TimeSpan.Zero),
            _ => null,
        };
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Kind} '{Id}'{(Period == BudgetPeriod.Lifetime ? string.Empty : Period == BudgetPeriod.UtcDay ? " per UTC day" : " per UTC month")}"
            + (HardLimitUsd is decimal usd ? $", ${usd.ToString(CultureInfo.InvariantCulture)}" : string.Empty)
            + (MaxTotalTokens is long tokens ? $", {tokens.ToString(CultureInfo.InvariantCulture)} tokens" : string.Empty);
}
