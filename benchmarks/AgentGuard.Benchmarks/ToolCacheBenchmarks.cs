using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace AgentGuard.Benchmarks;

/// <summary>Tool-result cache hits and misses, key canonicalisation included, for small and large arguments.</summary>
[MemoryDiagnoser]
public class ToolCacheBenchmarks
{
    private static readonly Func<CancellationToken, ValueTask<object?>> Run = _ => new ValueTask<object?>("result");

    private ToolResultCache cache = null!;
    private ToolResultCache missCache = null!;
    private Dictionary<string, object?> small = null!;
    private Dictionary<string, object?> large = null!;
    private Dictionary<string, object?>[] misses = null!;
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        cache = new ToolResultCache(capacity: 1_000_000);

        // Small, against a million distinct calls in turn: every lookup misses and evicts the oldest entry.
        missCache = new ToolResultCache(capacity: 1_024);
        small = Parse("""{"orderId":"A-1001","includeLines":true}""");
        var lines = string.Join(",", Enumerable.Range(0, 50).Select(i => $$"""{"sku":"SKU-{{i}}","quantity":{{i % 7}},"price":{{i * 1.5}}}"""));
        large = Parse($$"""{"customer":"C-42","filters":{"status":["open","shipped"],"from":"2026-01-01"},"lines":[{{lines}}]}""");
        misses = Enumerable.Range(0, 1_000_000).Select(i => new Dictionary<string, object?> { ["orderId"] = "A-" + i }).ToArray();
        cache.GetOrRunAsync("get_order", small, null, Run).AsTask().GetAwaiter().GetResult();
        cache.GetOrRunAsync("search_orders", large, null, Run).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "Hit, small arguments")]
    public ValueTask<ToolCacheResult> HitSmall() => cache.GetOrRunAsync("get_order", small, null, Run);

    [Benchmark(Description = "Hit, large arguments")]
    public ValueTask<ToolCacheResult> HitLarge() => cache.GetOrRunAsync("search_orders", large, null, Run);

    [Benchmark(Description = "Miss, small arguments")]
    public ValueTask<ToolCacheResult> MissSmall() => missCache.GetOrRunAsync("get_order", misses[next++ % misses.Length], null, Run);

    [Benchmark(Description = "Key only, small arguments")]
    public ToolCacheKey KeySmall() => cache.CreateKey("get_order", small);

    private static Dictionary<string, object?> Parse(string json)
        => JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
