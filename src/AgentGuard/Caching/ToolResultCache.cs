using System;
using System.Collections.Generic;
using System.IO.Hashing;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Memoizes the results of cacheable (pure read) tools. The key is a 128-bit hash of the canonical JSON of the
/// cache's partition, the tool's name and version, and the arguments as the tool receives them (property order and
/// string escaping normalised; numbers kept as written, because a tool may read them as text).
/// Entries expire after their time to live; the least recently used entry goes when the cache is full;
/// concurrent identical calls run the tool once; failures are not cached.
/// </summary>
/// <remarks>
/// <para>
/// An external <see cref="IToolResultStore"/> never fails a call: a read that throws or returns a value that is not
/// JSON is a miss (the tool runs and its result replaces the bad value), a write that throws is skipped, and a result
/// that cannot be serialized is not written. Each fault counts in <see cref="StoreReadFaults"/> or
/// <see cref="StoreWriteFaults"/> and in the <c>agentguard.tool_cache.store_faults</c> metric.
/// </para>
/// <para>
/// A caller waiting for an identical call another caller is running gives up with
/// <see cref="OperationCanceledException"/> as soon as its own token is cancelled; the run goes on for the others.
/// When the running caller is cancelled instead, a waiter that is not cancelled runs the tool itself.
/// </para>
/// <para>
/// A cache is scoped to one run unless it is shared through <see cref="AgentGuardOptions.ToolCache"/>; a shared
/// cache should be created with a <see cref="Partition"/> (tenant or user) so one user's results never answer
/// another's. Thread-safe.
/// </para>
/// </remarks>
public sealed class ToolResultCache
{
    private readonly object gate = new();
    private readonly Dictionary<ToolCacheKey, LinkedListNode<Entry>> entries = new();
    private readonly LinkedList<Entry> recency = new();
    private readonly IToolResultStore? store;
    private long uncacheableCalls;
    private long storeReadFaults;
    private long storeWriteFaults;

    /// <summary>Creates a cache.</summary>
    /// <param name="capacity">The most entries kept; the least recently used goes first.</param>
    /// <param name="partition">What isolates this cache's keys from other partitions' (tenant, user); none when <see langword="null"/>.</param>
    /// <param name="store">An external store consulted after this cache and written on every miss.</param>
    public ToolResultCache(int capacity = 1024, string? partition = null, IToolResultStore? store = null)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be positive.");
        }

        Capacity = capacity;
        Partition = partition;
        this.store = store;
    }

    /// <summary>The most entries kept.</summary>
    public int Capacity { get; }

    /// <summary>What isolates this cache's keys from other partitions'.</summary>
    public string? Partition { get; }

    /// <summary>Entries held now (expired ones included until they are next touched).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    internal Func<DateTimeOffset> Clock { get; set; } = static () => DateTimeOffset.UtcNow;

    /// <summary>
    /// Reads of the external store that threw or returned a value that is not JSON. Each was treated as a miss: the
    /// tool ran, and its result replaced the corrupt value.
    /// </summary>
    public long StoreReadFaults => Interlocked.Read(ref storeReadFaults);

    /// <summary>
    /// Writes to the external store that threw, or results that could not be serialized for it. The call still
    /// returned its result; nothing was written for it.
    /// </summary>
    public long StoreWriteFaults => Interlocked.Read(ref storeWriteFaults);

    /// <summary>Calls that ran without the cache because an argument has no JSON form (see <see cref="TryCreateKey"/>).</summary>
    public long UncacheableCalls => Interlocked.Read(ref uncacheableCalls);

    /// <summary>The key of a call of <paramref name="toolName"/> with <paramref name="arguments"/> in this cache's partition.</summary>
    /// <exception cref="ArgumentException">An argument has no JSON form, so the call cannot be keyed.</exception>
    public ToolCacheKey CreateKey(string toolName, IEnumerable<KeyValuePair<string, object?>>? arguments)
        => CreateKey(toolName, toolVersion: null, arguments);

    /// <summary>
    /// The key of a call of version <paramref name="toolVersion"/> of <paramref name="toolName"/> with
    /// <paramref name="arguments"/> in this cache's partition.
    /// </summary>
    /// <exception cref="ArgumentException">An argument has no JSON form, so the call cannot be keyed.</exception>
    public ToolCacheKey CreateKey(string toolName, string? toolVersion, IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        if (!TryCreateKeyCore(toolName, toolVersion, arguments, out var key, out var reason))
        {
            throw new ArgumentException($"The call of tool '{toolName}' cannot be cached: {reason}.", nameof(arguments));
        }

        return key;
    }

    /// <summary>
    /// The key of a call: XxHash128 of the canonical JSON of the partition, the tool's name and version, and the
    /// arguments as the tool receives them. <see langword="false"/> when an argument has no JSON form (its
    /// serialization fails, or yields an empty object for a type that is not a dictionary): such a call is never
    /// keyed by a text other values share.
    /// </summary>
    /// <param name="toolName">The tool's name (qualified by its agent when caches are shared between agents).</param>
    /// <param name="toolVersion">
    /// The tool's version: a hash of its signature or an explicit version, so a changed tool never reads results
    /// its previous version stored in a shared store. <see langword="null"/> for none.
    /// </param>
    /// <param name="arguments">The arguments as the model (or a client) sent them.</param>
    /// <param name="key">The key.</param>
    public bool TryCreateKey(string toolName, string? toolVersion, IEnumerable<KeyValuePair<string, object?>>? arguments, out ToolCacheKey key)
        => TryCreateKeyCore(toolName, toolVersion, arguments, out key, out _);

    private bool TryCreateKeyCore(string toolName, string? toolVersion, IEnumerable<KeyValuePair<string, object?>>? arguments, out ToolCacheKey key, out string? reason)
    {
        if (toolName is null)
        {
            throw new ArgumentNullException(nameof(toolName));
        }

        var pooled = CanonicalJson.PooledWriter.Rent();
        try
        {
            if (!CanonicalJson.TryWriteCall(pooled.Buffer, Partition, toolName, toolVersion, arguments, out reason))
            {
                key = default;
                return false;
            }

            Span<byte> digest = stackalloc byte[16];
            XxHash128.Hash(pooled.Buffer.WrittenSpan, digest);
            key = new ToolCacheKey(ReadUInt64(digest, 0), ReadUInt64(digest, 8));
            return true;
        }
        finally
        {
            CanonicalJson.PooledWriter.Return(pooled);
        }
    }

    /// <summary>
    /// Returns the cached result of this call, or runs <paramref name="run"/> once — also when identical calls
    /// arrive concurrently — and caches what it returns for <paramref name="timeToLive"/> (for the cache's
    /// lifetime when <see langword="null"/> or zero). An exception from <paramref name="run"/> is not cached and
    /// reaches every caller waiting on that call.
    /// </summary>
    public ValueTask<ToolCacheResult> GetOrRunAsync(
        string toolName,
        IEnumerable<KeyValuePair<string, object?>>? arguments,
        TimeSpan? timeToLive,
        Func<CancellationToken, ValueTask<object?>> run,
        CancellationToken cancellationToken = default)
        => GetOrRunAsync(toolName, toolVersion: null, arguments, timeToLive, run, cancellationToken);

    /// <summary>
    /// Returns the cached result of this call of version <paramref name="toolVersion"/> of the tool, or runs
    /// <paramref name="run"/> once — also when identical calls arrive concurrently — and caches what it returns for
    /// <paramref name="timeToLive"/> (for the cache's lifetime when <see langword="null"/> or zero). An exception
    /// from <paramref name="run"/> is not cached and reaches every caller waiting on that call. A call whose
    /// arguments have no JSON form runs without the cache and is counted in <see cref="UncacheableCalls"/>.
    /// </summary>
    /// <param name="toolName">The tool's name (qualified by its agent when caches are shared between agents).</param>
    /// <param name="toolVersion">A hash of the tool's signature or an explicit version; see <see cref="TryCreateKey"/>.</param>
    /// <param name="arguments">The arguments as the model (or a client) sent them.</param>
    /// <param name="timeToLive">How long the result stays valid.</param>
    /// <param name="run">Runs the tool.</param>
    /// <param name="cancellationToken">Cancels this caller's wait (and the tool, when this caller runs it).</param>
    public async ValueTask<ToolCacheResult> GetOrRunAsync(
        string toolName,
        string? toolVersion,
        IEnumerable<KeyValuePair<string, object?>>? arguments,
        TimeSpan? timeToLive,
        Func<CancellationToken, ValueTask<object?>> run,
        CancellationToken cancellationToken = default)
    {
        if (run is null)
        {
            throw new ArgumentNullException(nameof(run));
        }

        if (!TryCreateKeyCore(toolName, toolVersion, arguments, out var key, out _))
        {
            Interlocked.Increment(ref uncacheableCalls);
            AgentGuardTelemetry.RecordUncacheableCall();
            return new ToolCacheResult(await run(cancellationToken).ConfigureAwait(false), cacheHit: false);
        }

        while (true)
        {
            var (owner, pending) = Claim(key, timeToLive);
            if (owner is null)
            {
                try
                {
                    return new ToolCacheResult(await WaitAsync(pending, cancellationToken).ConfigureAwait(false), cacheHit: true);
                }
                catch (OperationCanceledException) when (pending.IsCanceled && !cancellationToken.IsCancellationRequested)
                {
                    // The caller running the tool was cancelled, not this one: take over.
                    continue;
                }
            }

            return await RunAsLeaderAsync(key, owner, timeToLive, run, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Removes every entry.</summary>
    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
            recency.Clear();
        }
    }

    // Finds the entry of the key, or adds one this caller fills (the owner).
    private (TaskCompletionSource<object?>? Owner, Task<object?> Pending) Claim(ToolCacheKey key, TimeSpan? timeToLive)
    {
        var now = Clock();
        lock (gate)
        {
            if (entries.TryGetValue(key, out var node) && (node.Value.ExpiresAt is not DateTimeOffset expires || expires > now))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                return (null, node.Value.Result);
            }

            if (node is not null)
            {
                recency.Remove(node);
                entries.Remove(key);
            }

            var owner = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var expiry = timeToLive is TimeSpan ttl && ttl > TimeSpan.Zero ? now + ttl : (DateTimeOffset?)null;
            var added = recency.AddFirst(new Entry(key, owner.Task, expiry));
            entries[key] = added;
            while (entries.Count > Capacity && recency.Last is { } oldest)
            {
                recency.RemoveLast();
                entries.Remove(oldest.Value.Key);
            }

            return (owner, owner.Task);
        }
    }

    private async ValueTask<ToolCacheResult> RunAsLeaderAsync(ToolCacheKey key, TaskCompletionSource<object?> owner, TimeSpan? timeToLive, Func<CancellationToken, ValueTask<object?>> run, CancellationToken cancellationToken)
    {
        var storeKey = store is null ? null : key.ToString();
        object? value = null;
        var fromStore = false;
        try
        {
            if (storeKey is not null)
            {
                (fromStore, value) = await TryReadStoreAsync(storeKey, cancellationToken).ConfigureAwait(false);
            }

            if (!fromStore)
            {
                value = await run(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            lock (gate)
            {
                if (entries.TryGetValue(key, out var node) && ReferenceEquals(node.Value.Result, owner.Task))
                {
                    recency.Remove(node);
                    entries.Remove(key);
                }
            }

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                // This caller gave up; the waiters see a cancelled call and one of them runs the tool instead.
                owner.TrySetCanceled();
            }
            else
            {
                owner.TrySetException(ex);
            }

            // Observe the exception for waiters that may never come.
            _ = owner.Task.Exception;
            throw;
        }

        owner.TrySetResult(value);
        if (storeKey is not null && !fromStore)
        {
            await TryWriteStoreAsync(storeKey, value, timeToLive, cancellationToken).ConfigureAwait(false);
        }

        return new ToolCacheResult(value, cacheHit: fromStore);
    }

    // A store that throws or holds a value that is not JSON is a miss: the tool runs, and the fault is counted.
    private async ValueTask<(bool Found, object? Value)> TryReadStoreAsync(string storeKey, CancellationToken cancellationToken)
    {
        string? json;
        try
        {
            json = await store!.GetAsync(storeKey, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            CountStoreFault(ref storeReadFaults, "read", "exception");
            return (false, null);
        }

        if (json is null)
        {
            return (false, null);
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return (true, document.RootElement.Clone());
        }
        catch (JsonException)
        {
            CountStoreFault(ref storeReadFaults, "read", "corrupt_value");
            return (false, null);
        }
    }

    // The tool has run: a store that fails to take its result does not fail the call, and only valid JSON is written.
    private async ValueTask TryWriteStoreAsync(string storeKey, object? value, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the result's serialization throws (a getter's own exception included) is the store's fault
            // to count, not the call's: the tool already succeeded.
            CountStoreFault(ref storeWriteFaults, "write", "unserializable_result");
            return;
        }

        try
        {
            await store!.SetAsync(storeKey, json, timeToLive is { Ticks: > 0 } ? timeToLive : null, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up after the tool ran; the result still stands.
        }
        catch (Exception)
        {
            CountStoreFault(ref storeWriteFaults, "write", "exception");
        }
    }

    private static void CountStoreFault(ref long counter, string operation, string errorType)
    {
        Interlocked.Increment(ref counter);
        AgentGuardTelemetry.RecordStoreFault(operation, errorType);
    }

    // Waits for another caller's run of the tool, giving up when this caller is cancelled; that run goes on.
    private static async Task<object?> WaitAsync(Task<object?> pending, CancellationToken cancellationToken)
    {
        if (pending.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return await pending.ConfigureAwait(false);
        }

#if NET8_0_OR_GREATER
        return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
#else
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(pending, cancelled.Task).ConfigureAwait(false) != pending)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return await pending.ConfigureAwait(false);
#endif
    }

    private static ulong ReadUInt64(ReadOnlySpan<byte> bytes, int offset)
    {
        ulong value = 0;
        for (var i = 0; i < 8; i++)
        {
            value = (value << 8) | bytes[offset + i];
        }

        return value;
    }

    private sealed class Entry
    {
        public Entry(ToolCacheKey key, Task<object?> result, DateTimeOffset? expiresAt)
        {
            Key = key;
            Result = result;
            ExpiresAt = expiresAt;
        }

        public ToolCacheKey Key { get; }

        public Task<object?> Result { get; }

        public DateTimeOffset? ExpiresAt { get; }
    }
}
