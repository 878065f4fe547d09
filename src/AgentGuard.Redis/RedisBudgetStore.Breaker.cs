using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AgentGuard.Redis;

// The account's circuit breaker on the server: the trip is one hash every process reads on its next reservation; spend
// per window is one counter per window, added to and read back in one script.
public sealed partial class RedisBudgetStore
{
    // KEYS: the breaker hash. ARGV: reason, tripped-at ms, until ms (0: until reset), time to live ms (0: none).
    // The first trip stands until it ends; one that ended (its period rolled over) is replaced.
    private const string TripScript = @"
if redis.call('EXISTS', KEYS[1]) == 1 then
  local u = tonumber(redis.call('HGET', KEYS[1], 'until') or '0') or 0
  if u == 0 or u > tonumber(ARGV[2]) then return 0 end
  redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], 'reason', ARGV[1], 'at', ARGV[2], 'until', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
";

    // KEYS: the counters of the current window and of the trailing ones, newest first. ARGV: micro-dollars, time to live ms.
    private const string WindowScript = @"
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('MGET', unpack(KEYS))
";

    /// <inheritdoc/>
    public async ValueTask<BreakerTrip?> GetTripAsync(string accountId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = await database.HashGetAsync(BreakerKey(accountId), new RedisValue[] { "reason", "at", "until" }).ConfigureAwait(false);
        if (fields[0].IsNull)
        {
            return null;
        }

        var until = (long)fields[2];
        if (until > 0 && until <= now.ToUnixTimeMilliseconds())
        {
            return null;
        }

        return new BreakerTrip(fields[0]!, DateTimeOffset.FromUnixTimeMilliseconds((long)fields[1]), until > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);
    }

    /// <inheritdoc/>
    public async ValueTask TripAsync(string accountId, BreakerTrip trip, CancellationToken cancellationToken = default)
    {
        if (trip is null)
        {
            throw new ArgumentNullException(nameof(trip));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var until = trip.Until?.ToUnixTimeMilliseconds() ?? 0L;
        var ttl = trip.Until is DateTimeOffset end ? Math.Max(1L, (long)Math.Ceiling((end - trip.TrippedAt + PeriodGrace).TotalMilliseconds)) : 0L;
        await database.ScriptEvaluateAsync(TripScript, new RedisKey[] { BreakerKey(accountId) }, new RedisValue[] { trip.Reason, trip.TrippedAt.ToUnixTimeMilliseconds(), until, ttl }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ResetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await database.KeyDeleteAsync(BreakerKey(accountId)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<decimal>> AddWindowSpendAsync(string accountId, DateTimeOffset now, decimal usd, TimeSpan window, int trailing, CancellationToken cancellationToken = default)
    {
        if (window <= TimeSpan.Zero || trailing < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), "The window must be positive and the trailing count not negative.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var current = now.UtcTicks / window.Ticks;
        var keys = new RedisKey[trailing + 1];
        for (var i = 0; i <= trailing; i++)
        {
            keys[i] = KeyPrefix + ":rate:" + accountId + ":" + (current - i).ToString(CultureInfo.InvariantCulture);
        }

        // A window's counter lives as long as it can still be a trailing one.
        var ttl = (long)Math.Ceiling(window.TotalMilliseconds * (trailing + 2));
        var values = (RedisResult[])(await database.ScriptEvaluateAsync(WindowScript, keys, new RedisValue[] { ToMicros(usd), ttl }).ConfigureAwait(false))!;
        var spend = new decimal[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            spend[i] = values[i].IsNull ? 0m : (long)values[i] / MicrosPerDollar;
        }

        return spend;
    }

    private RedisKey BreakerKey(string accountId) => KeyPrefix + ":breaker:" + accountId;
}
