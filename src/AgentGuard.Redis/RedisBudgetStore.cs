using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace AgentGuard.Redis;

/// <summary>
/// Shared budgets kept on a Redis server (or a RESP-compatible one with Lua scripting: Valkey, Garnet with
/// <c>--lua</c>), so a fleet of processes shares each tenant's, user's and agent's budget. Every operation is one Lua
/// script run on the server, atomic across all the scopes it names: a reservation is admitted by all of them or by
/// none, and never passes a limit however many processes reserve at once.
/// </summary>
/// <remarks>
/// <para>
/// <b>Construction.</b> Connect once and share the connection, as StackExchange.Redis recommends:
/// <c>new RedisBudgetStore(await ConnectionMultiplexer.ConnectAsync("localhost:6379"))</c>. Pass a key prefix to keep
/// several applications or environments apart on one server: <c>new RedisBudgetStore(connection, "billing:prod:")</c>.
/// </para>
/// <para>
/// <b>What is stored.</b> Each scope's period (<see cref="BudgetScope.KeyAt"/>, e.g. <c>tenant:acme:2026-12</c>) has two
/// keys: a hash at <c>prefix + key</c> with the spent micro-dollars (<c>usd</c>) and tokens (<c>tok</c>), what steps in
/// flight hold (<c>husd</c>, <c>htok</c>) and one field per reservation (<c>r:id</c> → <c>micro-dollars|tokens</c>); and
/// a sorted set at <c>prefix + ":leases:" + key</c> of the reservation ids scored by lease expiry in Unix milliseconds.
/// (A kind never contains ':', so no scope's hash can have a lease set's name.) Money is kept as whole micro-dollars:
/// a reservation and a committed cost round up to the next micro-dollar, a dollar limit rounds down.
/// </para>
/// <para>
/// <b>Leases.</b> Every reservation, renewal and spend query first drops the reservations whose lease ran out at the
/// caller's <c>now</c> and gives their amounts back, so the claim of a process that died returns after its lease. The
/// processes sharing a store should therefore keep their clocks in sync (NTP); a skew of a few seconds only shortens or
/// lengthens leases by as much. A commit after the lease ran out still adds what the step cost: the provider billed it.
/// </para>
/// <para>
/// <b>Expiry.</b> The keys of a daily or monthly budget expire <see cref="PeriodGrace"/> (two days unless given) after
/// their period ends, counted from the caller's <c>now</c>, so old periods never pile up and dashboards can still read
/// yesterday's spend; lifetime budgets never expire. Run the server with <c>maxmemory-policy noeviction</c> (or a
/// <c>volatile-*</c> policy that evicts other keys): an evicted lifetime budget starts again from nothing.
/// </para>
/// <para>
/// <b>Cluster.</b> One call touches the keys of all its scopes, which a Redis Cluster only allows within one hash slot:
/// give a prefix with a hash tag, e.g. <c>"{agentguard}:"</c>, so every key lands on the same node. A single server,
/// Garnet or a replicated primary needs no tag.
/// </para>
/// <para>
/// <b>Failures.</b> A refusal is an answer, never an exception; a connection or server failure throws the client's
/// exception (<see cref="RedisConnectionException"/>, <see cref="RedisTimeoutException"/>, …) so the caller applies its
/// failure policy. A <see cref="CancellationToken"/> is checked before a command is sent; a command once sent completes.
/// </para>
/// </remarks>
public sealed partial class RedisBudgetStore : IBudgetStore, ICircuitBreakerStore
{
    /// <summary>The key prefix when none is given.</summary>
    public const string DefaultKeyPrefix = "agentguard:";

    private const decimal MicrosPerDollar = 1_000_000m;

    // Shared by every script: drop the reservations of hash h whose lease in sorted set z ran out by `now`, and give
    // their amounts back. Numbers are sent to the server as whole-number strings (`int`), never in exponent form.
    private const string Helpers = @"
local function int(n) return string.format('%d', n) end
local function num(v) return tonumber(v) or 0 end
local function sweep(h, z, now)
  local ids = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, id in ipairs(ids) do
    local held = redis.call('HGET', h, 'r:' .. id)
    if held then
      local bar = string.find(held, '|', 1, true)
      redis.call('HINCRBY', h, 'husd', int(-num(string.sub(held, 1, bar - 1))))
      redis.call('HINCRBY', h, 'htok', int(-num(string.sub(held, bar + 1))))
      redis.call('HDEL', h, 'r:' .. id)
    end
  end
  if #ids > 0 then redis.call('ZREMRANGEBYSCORE', z, '-inf', now) end
end
";

    // KEYS: hash, lease set for each scope. ARGV: now ms, lease expiry ms, id, micro-dollars, tokens, then for each
    // scope its dollar limit in micro-dollars, its token limit (-1: none) and its keys' time to live in ms (0: none).
    // Checks every scope before holding in any; returns {1}, or {0, scope (1-based), 1 dollars | 2 tokens, spent, held}.
    private const string ReserveScript = Helpers + @"
local now, expires, id = ARGV[1], ARGV[2], ARGV[3]
local usd, tok = num(ARGV[4]), num(ARGV[5])
local scopes = #KEYS / 2
for i = 1, scopes do
  local h, z, a = KEYS[2 * i - 1], KEYS[2 * i], 5 + 3 * (i - 1)
  sweep(h, z, now)
  local v = redis.call('HMGET', h, 'usd', 'husd', 'tok', 'htok')
  local limitUsd, limitTok = num(ARGV[a + 1]), num(ARGV[a + 2])
  if limitUsd >= 0 and num(v[1]) + num(v[2]) + usd > limitUsd then return {0, i, 1, num(v[1]), num(v[2])} end
  if limitTok >= 0 and num(v[3]) + num(v[4]) + tok > limitTok then return {0, i, 2, num(v[3]), num(v[4])} end
end
for i = 1, scopes do
  local h, z, a = KEYS[2 * i - 1], KEYS[2 * i], 5 + 3 * (i - 1)
  redis.call('HSET', h, 'r:' .. id, int(usd) .. '|' .. int(tok))
  redis.call('HINCRBY', h, 'husd', int(usd))
  redis.call('HINCRBY', h, 'htok', int(tok))
  redis.call('ZADD', z, expires, id)
  local ttl = num(ARGV[a + 3])
  if ttl > 0 then
    redis.call('PEXPIRE', h, int(ttl))
    redis.call('PEXPIRE', z, int(ttl))
  end
end
return {1}
";

    // KEYS: hash, lease set for each scope. ARGV: id, micro-dollars, tokens spent (0, 0 to release). Drops the
    // reservation where it is still held and adds the spend to every period that still exists, lease or no lease.
    private const string SettleScript = Helpers + @"
local id, usd, tok = ARGV[1], num(ARGV[2]), num(ARGV[3])
for i = 1, #KEYS / 2 do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  if redis.call('EXISTS', h) == 1 then
    local held = redis.call('HGET', h, 'r:' .. id)
    if held then
      local bar = string.find(held, '|', 1, true)
      redis.call('HINCRBY', h, 'husd', int(-num(string.sub(held, 1, bar - 1))))
      redis.call('HINCRBY', h, 'htok', int(-num(string.sub(held, bar + 1))))
      redis.call('HDEL', h, 'r:' .. id)
      redis.call('ZREM', z, id)
    end
    if usd > 0 then redis.call('HINCRBY', h, 'usd', int(usd)) end
    if tok > 0 then redis.call('HINCRBY', h, 'tok', int(tok)) end
  end
end
return 1
";

    // KEYS: hash, lease set for each scope. ARGV: now ms, new lease expiry ms, id. Returns 1 when the reservation was
    // still held (its lease had not run out) in some scope, else 0.
    private const string RenewScript = Helpers + @"
local now, expires, id = ARGV[1], ARGV[2], ARGV[3]
local renewed = 0
for i = 1, #KEYS / 2 do
  local h, z = KEYS[2 * i - 1], KEYS[2 * i]
  sweep(h, z, now)
  if redis.call('ZSCORE', z, id) then
    redis.call('ZADD', z, expires, id)
    renewed = 1
  end
end
return renewed
";

    // KEYS: hash, lease set. ARGV: now ms. Returns {spent micro-dollars, spent tokens, held micro-dollars, held tokens,
    // reservations in flight}.
    private const string SpendScript = Helpers + @"
sweep(KEYS[1], KEYS[2], ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'usd', 'tok', 'husd', 'htok')
return {num(v[1]), num(v[2]), num(v[3]), num(v[4]), redis.call('ZCARD', KEYS[2])}
";

    private readonly IDatabaseAsync database;

    /// <summary>Creates a store on <paramref name="connection"/>'s default database.</summary>
    /// <param name="connection">A connection shared by the application.</param>
    /// <param name="keyPrefix">Put before every key; on a Redis Cluster it must hold a hash tag, e.g. <c>"{agentguard}:"</c>.</param>
    /// <param name="periodGrace">How long a daily or monthly budget's keys outlive their period; two days when <see langword="null"/>.</param>
    public RedisBudgetStore(IConnectionMultiplexer connection, string keyPrefix = DefaultKeyPrefix, TimeSpan? periodGrace = null)
        : this((connection ?? throw new ArgumentNullException(nameof(connection))).GetDatabase(), keyPrefix, periodGrace)
    {
    }

    /// <summary>Creates a store on <paramref name="database"/>.</summary>
    /// <param name="database">A database of a shared connection (<see cref="IConnectionMultiplexer.GetDatabase"/>).</param>
    /// <param name="keyPrefix">Put before every key; on a Redis Cluster it must hold a hash tag, e.g. <c>"{agentguard}:"</c>.</param>
    /// <param name="periodGrace">How long a daily or monthly budget's keys outlive their period; two days when <see langword="null"/>.</param>
    public RedisBudgetStore(IDatabaseAsync database, string keyPrefix = DefaultKeyPrefix, TimeSpan? periodGrace = null)
    {
        this.database = database ?? throw new ArgumentNullException(nameof(database));
        KeyPrefix = keyPrefix ?? throw new ArgumentNullException(nameof(keyPrefix));
        PeriodGrace = periodGrace ?? TimeSpan.FromDays(2);
        if (PeriodGrace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(periodGrace), periodGrace, "The grace after a period must not be negative.");
        }
    }

    /// <summary>Put before every key this store writes.</summary>
    public string KeyPrefix { get; }

    /// <summary>How long a daily or monthly budget's keys outlive their period.</summary>
    public TimeSpan PeriodGrace { get; }

    /// <inheritdoc/>
    public async ValueTask<BudgetStoreDecision> ReserveAsync(IReadOnlyList<BudgetScope> scopes, BudgetAmount amount, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (scopes is null)
        {
            throw new ArgumentNullException(nameof(scopes));
        }

        cancellationToken.ThrowIfCancellationRequested();
        scopes = Distinct(scopes, now);
        var id = Guid.NewGuid().ToString("N");
        var periodKeys = new string[scopes.Count];
        var keys = new RedisKey[scopes.Count * 2];
        var args = new RedisValue[5 + (scopes.Count * 3)];
        var expires = now + lease;
        args[0] = now.ToUnixTimeMilliseconds();
        args[1] = expires.ToUnixTimeMilliseconds();
        args[2] = id;
        args[3] = ToMicros(amount.Usd);
        args[4] = amount.Tokens;
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i] ?? throw new ArgumentException("A scope must not be null.", nameof(scopes));
            periodKeys[i] = scope.KeyAt(now);
            keys[2 * i] = HashKey(periodKeys[i]);
            keys[(2 * i) + 1] = LeasesKey(periodKeys[i]);
            args[5 + (3 * i)] = scope.HardLimitUsd is decimal usd ? (long)decimal.Floor(usd * MicrosPerDollar) : -1L;
            args[6 + (3 * i)] = scope.MaxTotalTokens ?? -1L;
            args[7 + (3 * i)] = scope.PeriodEndAt(now) is DateTimeOffset end ? Math.Max(1L, (long)Math.Ceiling((end - now + PeriodGrace).TotalMilliseconds)) : 0L;
        }

        var result = (RedisResult[])(await database.ScriptEvaluateAsync(ReserveScript, keys, args).ConfigureAwait(false))!;
        if ((long)result[0] == 1)
        {
            return BudgetStoreDecision.Admitted(new BudgetReservation(id, periodKeys, amount, expires));
        }

        var refusedBy = scopes[(int)(long)result[1] - 1];
        var spent = (long)result[3];
        var held = (long)result[4];
        return (long)result[2] == 1
            ? BudgetStoreDecision.Refused(refusedBy, BudgetLimit.HardCost, BudgetScopeMessages.Dollars(refusedBy, spent / MicrosPerDollar, held / MicrosPerDollar, amount.Usd))
            : BudgetStoreDecision.Refused(refusedBy, BudgetLimit.TotalTokens, BudgetScopeMessages.Tokens(refusedBy, spent, held, amount.Tokens));
    }

    /// <inheritdoc/>
    public async ValueTask CommitAsync(BudgetReservation reservation, BudgetAmount actual, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await database.ScriptEvaluateAsync(SettleScript, KeysOf(reservation), new RedisValue[] { reservation.Id, ToMicros(actual.Usd), actual.Tokens }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        cancellationToken.ThrowIfCancellationRequested();
        await database.ScriptEvaluateAsync(SettleScript, KeysOf(reservation), new RedisValue[] { reservation.Id, 0L, 0L }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RenewAsync(BudgetReservation reservation, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (reservation is null)
        {
            throw new ArgumentNullException(nameof(reservation));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var expires = now + lease;
        var args = new RedisValue[] { now.ToUnixTimeMilliseconds(), expires.ToUnixTimeMilliseconds(), reservation.Id };
        var renewed = (long)(await database.ScriptEvaluateAsync(RenewScript, KeysOf(reservation), args).ConfigureAwait(false)) == 1;
        if (renewed)
        {
            reservation.LeaseExpires = expires;
        }

        return renewed;
    }

    /// <inheritdoc/>
    public async ValueTask<ScopeSpend> GetSpendAsync(BudgetScope scope, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (scope is null)
        {
            throw new ArgumentNullException(nameof(scope));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var key = scope.KeyAt(now);
        var keys = new[] { HashKey(key), LeasesKey(key) };
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(SpendScript, keys, new RedisValue[] { now.ToUnixTimeMilliseconds() }).ConfigureAwait(false))!;
        return new ScopeSpend(
            new BudgetAmount((long)result[0] / MicrosPerDollar, (long)result[1]),
            new BudgetAmount((long)result[2] / MicrosPerDollar, (long)result[3]),
            (int)(long)result[4]);
    }

    // The same scope period twice would hold the amount twice and give it back once: keep the first.
    private static IReadOnlyList<BudgetScope> Distinct(IReadOnlyList<BudgetScope> scopes, DateTimeOffset now)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unique = new List<BudgetScope>(scopes.Count);
        foreach (var scope in scopes)
        {
            if (scope is null)
            {
                throw new ArgumentException("A scope must not be null.", nameof(scopes));
            }

            if (seen.Add(scope.KeyAt(now)))
            {
                unique.Add(scope);
            }
        }

        return unique;
    }

    /// <summary>The hash of a scope period's spend and reservations.</summary>
    internal RedisKey HashKey(string periodKey) => KeyPrefix + periodKey;

    /// <summary>The sorted set of a scope period's reservation ids by lease expiry.</summary>
    internal RedisKey LeasesKey(string periodKey) => KeyPrefix + ":leases:" + periodKey;

    // Whole micro-dollars, rounded up: a reservation never holds, and a commit never spends, less than asked.
    private static long ToMicros(decimal usd) => (long)decimal.Ceiling(usd * MicrosPerDollar);

    private RedisKey[] KeysOf(BudgetReservation reservation)
    {
        var keys = new RedisKey[reservation.Keys.Count * 2];
        for (var i = 0; i < reservation.Keys.Count; i++)
        {
            keys[2 * i] = HashKey(reservation.Keys[i]);
            keys[(2 * i) + 1] = LeasesKey(reservation.Keys[i]);
        }

        return keys;
    }
}
