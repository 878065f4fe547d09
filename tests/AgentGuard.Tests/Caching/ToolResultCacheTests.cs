using System.Collections.Concurrent;
using System.Text.Json;

namespace AgentGuard.Tests.Caching;

public sealed class ToolResultCacheTests
{
    private static Dictionary<string, object?> Json(string json)
        => JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    [Theory]
    [InlineData("""{"city":"Oslo","days":1}""", """{"days":1,"city":"Oslo"}""")]
    [InlineData("""{"filter":{"a":1,"b":[1,2]}}""", """{"filter":{"b":[1,2],"a":1}}""")]
    [InlineData("""{"name":"\u00e9"}""", """{"name":"é"}""")]
    [InlineData("""{"name":"a\/b"}""", """{"name":"a/b"}""")]
    [InlineData("""{"f":{"Name":"a","other":1}}""", """{"f":{"other":1,"Name":"a"}}""")]
    public void CreateKey_CanonicallyEqualArguments_AreEqual(string left, string right)
    {
        var cache = new ToolResultCache();

        Assert.Equal(cache.CreateKey("weather", Json(left)), cache.CreateKey("weather", Json(right)));
    }

    [Fact]
    public void CreateKey_ClrDictionariesInAnotherOrder_AreEqual()
    {
        var cache = new ToolResultCache();

        Assert.Equal(
            cache.CreateKey("weather", new Dictionary<string, object?> { ["city"] = "Oslo", ["days"] = 2L }),
            cache.CreateKey("weather", new Dictionary<string, object?> { ["days"] = 2L, ["city"] = "Oslo" }));
    }

    [Theory]
    [InlineData("""{"days":1}""", """{"days":2}""")]
    [InlineData("""{"days":1}""", """{"days":"1"}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"a":null}""", """{}""")]
    // A number sent for a string parameter reaches the tool as its text; a decimal keeps its scale.
    [InlineData("""{"code":1.1}""", """{"code":1.10}""")]
    [InlineData("""{"days":1}""", """{"days":1.0}""")]
    [InlineData("""{"days":100}""", """{"days":1e2}""")]
    [InlineData("""{"f":{"b":[1.0,2]}}""", """{"f":{"b":[1,2]}}""")]
    // A case-insensitive reader finds the first of two names equal ignoring case: their order matters.
    [InlineData("""{"f":{"Name":"a","NAME":"b"}}""", """{"f":{"NAME":"b","Name":"a"}}""")]
    [InlineData("""{"f":{"a":1,"a":2}}""", """{"f":{"a":2,"a":1}}""")]
    [InlineData("""{"a":"b\",\"c"}""", """{"a":"b","c":""}""")]
    public void CreateKey_DifferentArguments_Differ(string left, string right)
    {
        var cache = new ToolResultCache();

        Assert.NotEqual(cache.CreateKey("weather", Json(left)), cache.CreateKey("weather", Json(right)));
    }

    [Fact]
    public void CreateKey_StringDictionariesThatPrintAlike_Differ()
    {
        var cache = new ToolResultCache();

        Assert.NotEqual(
            cache.CreateKey("t", new Dictionary<string, object?> { ["filter"] = new Dictionary<string, string> { ["a"] = "b, c" } }),
            cache.CreateKey("t", new Dictionary<string, object?> { ["filter"] = new Dictionary<string, string> { ["a, b"] = "c" } }));
    }

    [Fact]
    public void CreateKey_ObjectsWithoutToString_AreKeyedByTheirProperties()
    {
        var cache = new ToolResultCache();

        Assert.NotEqual(
            cache.CreateKey("t", new Dictionary<string, object?> { ["q"] = new PlainQuery { Text = "a" } }),
            cache.CreateKey("t", new Dictionary<string, object?> { ["q"] = new PlainQuery { Text = "b" } }));
        Assert.Equal(
            cache.CreateKey("t", new Dictionary<string, object?> { ["q"] = new PlainQuery { Text = "a" } }),
            cache.CreateKey("t", new Dictionary<string, object?> { ["q"] = new PlainQuery { Text = "a" } }));
    }

    [Theory]
    [MemberData(nameof(ClrValuesATypedToolTellsApart))]
    public void CreateKey_ClrValuesATypedToolTellsApart_Differ(object left, object right)
    {
        var cache = new ToolResultCache();

        Assert.NotEqual(
            cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = left }),
            cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = right }));
    }

    public static TheoryData<object, object> ClrValuesATypedToolTellsApart() => new()
    {
        { 1.10m, 1.1m },
        { 1.1f, 1.1d },
        { 0.0d, -0.0d },
        { 2L, 2 },
        { new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local) },
        { new[] { "a,b" }, new[] { "a", "b" } },
    };

    [Fact]
    public void CreateKey_LoneSurrogateAndReplacementCharacter_Differ()
    {
        // Built here, not as theory data: the test runner replaces lone surrogates when it serializes theory data.
        var cache = new ToolResultCache();

        Assert.NotEqual(
            cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = "\ud800" }),
            cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = "\ufffd" }));
    }

    [Fact]
    public void CreateKey_ClrAndJsonValues_Differ()
    {
        // A hand-written tool may see the CLR type; a miss is the safe answer.
        var cache = new ToolResultCache();

        Assert.NotEqual(
            cache.CreateKey("weather", Json("""{"days":2}""")),
            cache.CreateKey("weather", new Dictionary<string, object?> { ["days"] = 2L }));
    }

    [Fact]
    public void CreateKey_VersionIsInTheKey()
    {
        var cache = new ToolResultCache();
        var args = Json("""{"q":"x"}""");

        Assert.NotEqual(cache.CreateKey("t", "sig:1", args), cache.CreateKey("t", "sig:2", args));
        Assert.NotEqual(cache.CreateKey("t", null, args), cache.CreateKey("t", string.Empty, args));
        Assert.Equal(cache.CreateKey("t", "sig:1", args), cache.CreateKey("t", "sig:1", Json("""{"q":"x"}""")));
        Assert.Equal(cache.CreateKey("t", args), cache.CreateKey("t", null, args));
    }

    [Fact]
    public void CreateKey_ValueWithoutJsonForm_Throws()
    {
        var cache = new ToolResultCache();

        var error = Assert.Throws<ArgumentException>(() => cache.CreateKey("t", new Dictionary<string, object?> { ["handle"] = new Opaque(1) }));
        Assert.Contains("cannot be cached", error.Message, StringComparison.Ordinal);
        Assert.False(cache.TryCreateKey("t", null, new Dictionary<string, object?> { ["handle"] = new Opaque(1) }, out _));
    }

    [Fact]
    public async Task GetOrRunAsync_ValueWithoutJsonForm_RunsEveryTimeAndIsCounted()
    {
        var cache = new ToolResultCache();
        var seen = new List<int>();
        ValueTask<object?> Run(Opaque value)
        {
            seen.Add(value.GetId());
            return new(value.GetId());
        }

        var first = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["h"] = new Opaque(1) }, null, _ => Run(new Opaque(1)));
        var second = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["h"] = new Opaque(2) }, null, _ => Run(new Opaque(2)));

        Assert.Equal(new[] { 1, 2 }, seen);
        Assert.False(second.CacheHit);
        Assert.Equal(2, second.Value);
        Assert.Equal(2, cache.UncacheableCalls);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void CreateKey_ToolNameAndPartition_AreInTheKey()
    {
        var args = Json("""{"q":"x"}""");

        Assert.NotEqual(new ToolResultCache().CreateKey("a", args), new ToolResultCache().CreateKey("b", args));
        Assert.NotEqual(new ToolResultCache(partition: "tenant-1").CreateKey("a", args), new ToolResultCache(partition: "tenant-2").CreateKey("a", args));
    }

    [Fact]
    public async Task GetOrRunAsync_SecondEqualCall_IsHitWithoutRunning()
    {
        var cache = new ToolResultCache();
        var runs = 0;

        var first = await cache.GetOrRunAsync("t", Json("""{"x":1}"""), null, _ => new ValueTask<object?>(++runs));
        var second = await cache.GetOrRunAsync("t", Json("""{ "x" : 1 }"""), null, _ => new ValueTask<object?>(++runs));

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(1, second.Value);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task GetOrRunAsync_AfterTtl_RunsAgain()
    {
        var now = DateTimeOffset.UnixEpoch;
        var cache = new ToolResultCache { Clock = () => now };
        var runs = 0;
        Func<CancellationToken, ValueTask<object?>> run = _ => new ValueTask<object?>(++runs);

        await cache.GetOrRunAsync("t", null, TimeSpan.FromSeconds(60), run);
        now += TimeSpan.FromSeconds(59);
        Assert.True((await cache.GetOrRunAsync("t", null, TimeSpan.FromSeconds(60), run)).CacheHit);
        now += TimeSpan.FromSeconds(1);
        Assert.False((await cache.GetOrRunAsync("t", null, TimeSpan.FromSeconds(60), run)).CacheHit);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task GetOrRunAsync_OverCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new ToolResultCache(capacity: 2);
        ValueTask<object?> Run(CancellationToken _) => new("v");

        await cache.GetOrRunAsync("a", null, null, Run);
        await cache.GetOrRunAsync("b", null, null, Run);
        await cache.GetOrRunAsync("a", null, null, Run); // a is now the most recent
        await cache.GetOrRunAsync("c", null, null, Run); // evicts b

        Assert.Equal(2, cache.Count);
        Assert.True((await cache.GetOrRunAsync("a", null, null, Run)).CacheHit);
        Assert.False((await cache.GetOrRunAsync("b", null, null, Run)).CacheHit);
    }

    [Fact]
    public async Task GetOrRunAsync_Failure_IsNotCachedAndReachesCaller()
    {
        var cache = new ToolResultCache();

        await Assert.ThrowsAsync<TimeoutException>(async () => await cache.GetOrRunAsync("t", null, null, _ => throw new TimeoutException()));
        var retry = await cache.GetOrRunAsync("t", null, null, _ => new ValueTask<object?>("ok"));

        Assert.False(retry.CacheHit);
        Assert.Equal("ok", retry.Value);
    }

    [Fact]
    public async Task GetOrRunAsync_ConcurrentIdenticalCalls_RunToolOnce()
    {
        var cache = new ToolResultCache();
        var runs = 0;
        var gate = new TaskCompletionSource();

        var calls = Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await cache.GetOrRunAsync("slow", Json("""{"id":7}"""), null, async _ =>
        {
            Interlocked.Increment(ref runs);
            await gate.Task;
            return "result";
        }))).ToList();

        await Task.Delay(50);
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Equal("result", r.Value));
        Assert.Equal(15, results.Count(r => r.CacheHit));
    }

    [Fact]
    public async Task GetOrRunAsync_ExternalStore_SharesResultsAcrossCaches()
    {
        var store = new DictionaryStore();
        var runs = 0;
        ValueTask<object?> Run(CancellationToken _) => new(new { Total = ++runs * 10 });

        var first = await new ToolResultCache(partition: "tenant-1", store: store).GetOrRunAsync("orders", Json("""{"id":1}"""), TimeSpan.FromMinutes(5), Run);
        var second = await new ToolResultCache(partition: "tenant-1", store: store).GetOrRunAsync("orders", Json("""{"id":1}"""), TimeSpan.FromMinutes(5), Run);
        var otherTenant = await new ToolResultCache(partition: "tenant-2", store: store).GetOrRunAsync("orders", Json("""{"id":1}"""), TimeSpan.FromMinutes(5), Run);

        Assert.False(first.CacheHit);
        Assert.True(second.CacheHit);
        Assert.Equal(10, ((JsonElement)second.Value!).GetProperty("total").GetInt32());
        Assert.False(otherTenant.CacheHit);
        Assert.Equal(2, runs);
        Assert.Equal(TimeSpan.FromMinutes(5), store.Ttls.Values.First());
    }

    [Fact]
    public async Task GetOrRunAsync_StoreReadThrows_RunsToolAndCountsFault()
    {
        var store = new DictionaryStore { FailReads = true };
        var cache = new ToolResultCache(store: store);

        var result = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>("fresh"));

        Assert.Equal("fresh", result.Value);
        Assert.False(result.CacheHit);
        Assert.Equal(1, cache.StoreReadFaults);
        Assert.Equal(0, cache.StoreWriteFaults);
        Assert.True((await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>("again"))).CacheHit);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,")]
    public async Task GetOrRunAsync_StoreHoldsCorruptValue_RunsToolAndReplacesIt(string corrupt)
    {
        var store = new DictionaryStore();
        var key = new ToolResultCache().CreateKey("t", Json("""{"id":1}""")).ToString();
        await store.SetAsync(key, corrupt, null, default);
        var cache = new ToolResultCache(store: store);
        var runs = 0;

        var result = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(new { Total = ++runs }));

        Assert.False(result.CacheHit);
        Assert.Equal(1, runs);
        Assert.Equal(1, cache.StoreReadFaults);
        Assert.Equal(1, JsonDocument.Parse(store.Values[key]).RootElement.GetProperty("total").GetInt32());
        var fromStore = await new ToolResultCache(store: store).GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(new { Total = ++runs }));
        Assert.True(fromStore.CacheHit);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task GetOrRunAsync_StoreWriteThrows_ReturnsResultAndCountsFault()
    {
        var store = new DictionaryStore { FailWrites = true };
        var cache = new ToolResultCache(store: store);
        var runs = 0;

        var first = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(++runs));
        var second = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(++runs));

        Assert.Equal(1, first.Value);
        Assert.True(second.CacheHit);
        Assert.Equal(1, runs);
        Assert.Equal(1, cache.StoreWriteFaults);
        Assert.Empty(store.Values);
    }

    [Fact]
    public async Task GetOrRunAsync_ResultWithoutJsonForm_IsReturnedAndNotWritten()
    {
        var store = new DictionaryStore();
        var cache = new ToolResultCache(store: store);
        Action handle = () => { };

        var result = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(handle));

        Assert.Same(handle, result.Value);
        Assert.Equal(1, cache.StoreWriteFaults);
        Assert.Empty(store.Values);
    }

    [Fact]
    public void TryCreateKey_OneShotSequence_IsNotEnumeratedAndNotKeyed()
    {
        var cache = new ToolResultCache();
        var evaluations = 0;
        var query = Enumerable.Range(1, 3).Select(i =>
        {
            evaluations++;
            return i;
        });

        Assert.False(cache.TryCreateKey("t", null, new Dictionary<string, object?> { ["ids"] = query }, out _));
        Assert.Equal(0, evaluations);
    }

    [Fact]
    public async Task GetOrRunAsync_CustomCollectionsWithTheSameItems_DoNotShareAResult()
    {
        var cache = new ToolResultCache();
        var runs = 0;

        var first = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["page"] = new Page { 1, 2 } }, null, _ => new ValueTask<object?>(++runs));
        var second = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["page"] = new Page { Number = 2, Items = { 1, 2 } } }, null, _ => new ValueTask<object?>(++runs));

        Assert.False(second.CacheHit);
        Assert.Equal(2, second.Value);
        Assert.Equal(2, cache.UncacheableCalls);
    }

    [Fact]
    public void CreateKey_ArraysListsAndJsonNodes_AreStillKeyedByTheirItems()
    {
        var cache = new ToolResultCache();
        object?[] values = [new[] { 1, 2 }, new List<int> { 1, 2 }, System.Collections.Immutable.ImmutableArray.Create(1, 2), System.Text.Json.Nodes.JsonNode.Parse("[1,2]")];

        foreach (var value in values)
        {
            Assert.True(cache.TryCreateKey("t", null, new Dictionary<string, object?> { ["v"] = value }, out var key), value!.GetType().ToString());
            Assert.Equal(key, cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = value }));
        }

        Assert.NotEqual(cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = new List<int> { 1, 2 } }), cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = new List<int> { 2, 1 } }));
        Assert.NotEqual(cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = System.Text.Json.Nodes.JsonNode.Parse("[1,2]") }), cache.CreateKey("t", new Dictionary<string, object?> { ["v"] = System.Text.Json.Nodes.JsonNode.Parse("[2,1]") }));
        Assert.False(cache.TryCreateKey("t", null, new Dictionary<string, object?> { ["v"] = default(System.Collections.Immutable.ImmutableArray<int>) }, out _));
    }

    [Fact]
    public async Task GetOrRunAsync_ResultWhoseGetterThrows_IsReturnedAndCountedAsWriteFault()
    {
        var store = new DictionaryStore();
        var cache = new ToolResultCache(store: store);
        var value = new ThrowingGetter();

        var result = await cache.GetOrRunAsync("t", Json("""{"id":1}"""), null, _ => new ValueTask<object?>(value));

        Assert.Same(value, result.Value);
        Assert.Equal(1, cache.StoreWriteFaults);
        Assert.Empty(store.Values);
    }

    [Fact]
    public async Task GetOrRunAsync_ArgumentWhoseGetterThrows_IsUncacheableNotAFailure()
    {
        var cache = new ToolResultCache();
        var runs = 0;

        var first = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["q"] = new ThrowingGetter() }, null, _ => new ValueTask<object?>(++runs));
        var second = await cache.GetOrRunAsync("t", new Dictionary<string, object?> { ["q"] = new ThrowingGetter() }, null, _ => new ValueTask<object?>(++runs));

        Assert.Equal(2, second.Value);
        Assert.False(second.CacheHit);
        Assert.Equal(2, cache.UncacheableCalls);
        Assert.False(cache.TryCreateKey("t", null, new Dictionary<string, object?> { ["q"] = new ThrowingGetter() }, out _));
    }

    [Fact]
    public async Task GetOrRunAsync_StoreReadCancelledByCaller_IsCancellationNotFault()
    {
        var store = new DictionaryStore { CancelReads = true };
        var cache = new ToolResultCache(store: store);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cache.GetOrRunAsync("t", null, null, _ => new ValueTask<object?>("x"), cts.Token));

        Assert.Equal(0, cache.StoreReadFaults);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task GetOrRunAsync_WaiterCancelled_GivesUpWhileTheRunGoesOn()
    {
        var cache = new ToolResultCache();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        async ValueTask<object?> Run(CancellationToken _)
        {
            Interlocked.Increment(ref runs);
            started.SetResult();
            await release.Task;
            return "result";
        }

        var leader = cache.GetOrRunAsync("slow", null, null, Run).AsTask();
        await started.Task;
        using var cts = new CancellationTokenSource();
        var waiter = cache.GetOrRunAsync("slow", null, null, Run, cts.Token).AsTask();
        cts.Cancel();

        // The tool is still running (never released yet): the waiter must not wait for it.
        var finished = await Task.WhenAny(waiter, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(waiter, finished);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        Assert.False(leader.IsCompleted);

        release.SetResult();
        Assert.Equal("result", (await leader).Value);
        Assert.True((await cache.GetOrRunAsync("slow", null, null, Run)).CacheHit);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task GetOrRunAsync_LeaderCancelled_WaiterRunsTheToolItself()
    {
        var cache = new ToolResultCache();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = 0;
        using var leaderCancel = new CancellationTokenSource();
        async ValueTask<object?> Run(CancellationToken token)
        {
            if (Interlocked.Increment(ref runs) == 1)
            {
                started.SetResult();
                await Task.Delay(Timeout.Infinite, token);
            }

            return "from the waiter";
        }

        var leader = cache.GetOrRunAsync("slow", null, null, Run, leaderCancel.Token).AsTask();
        await started.Task;
        var waiter = cache.GetOrRunAsync("slow", null, null, Run).AsTask();
        leaderCancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        var result = await waiter;
        Assert.Equal("from the waiter", result.Value);
        Assert.False(result.CacheHit);
        Assert.Equal(2, runs);
    }

    public sealed class PlainQuery
    {
        public string Text { get; set; } = "";
    }

    public sealed class ThrowingGetter
    {
        public string Name => "x";

        public int Broken => throw new DivideByZeroException("a getter with a bug");
    }

    public sealed class Page : List<int>
    {
        public int Number { get; set; } = 1;

        public List<int> Items => this;
    }

    // State the serializer cannot see: every instance would serialize to {}.
    public sealed class Opaque(int id)
    {
        public int GetId() => id;
    }

    private sealed class DictionaryStore : IToolResultStore
    {
        public ConcurrentDictionary<string, string> Values { get; } = new();

        public ConcurrentDictionary<string, TimeSpan?> Ttls { get; } = new();

        public bool FailReads { get; init; }

        public bool FailWrites { get; init; }

        public bool CancelReads { get; init; }

        public async ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            if (CancelReads)
            {
                throw new InvalidOperationException("a store that ignores cancellation would have answered here");
            }

            if (FailReads)
            {
                throw new IOException("store unreachable");
            }

            return Values.TryGetValue(key, out var v) ? v : null;
        }

        public ValueTask SetAsync(string key, string json, TimeSpan? timeToLive, CancellationToken cancellationToken)
        {
            if (FailWrites)
            {
                throw new IOException("store unreachable");
            }

            Values[key] = json;
            Ttls[key] = timeToLive;
            return default;
        }
    }
}
