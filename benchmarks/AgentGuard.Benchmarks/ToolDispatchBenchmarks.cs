using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;

namespace AgentGuard.Benchmarks;

/// <summary>
/// A generated tool against <c>AIFunctionFactory.Create</c> on the same method, invoked the way
/// <c>FunctionInvokingChatClient</c> invokes tools: <see cref="AIFunction.InvokeAsync"/> with the model's
/// <see cref="JsonElement"/> arguments. Each category has its own baseline, so the ratios compare like with like.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ToolDispatchBenchmarks
{
    private AIFunction generatedSmall = null!;
    private AIFunction reflectedSmall = null!;
    private AIFunction generatedComplex = null!;
    private AIFunction reflectedComplex = null!;
    private AIFunction generatedNested = null!;
    private AIFunction reflectedNested = null!;
    private AIFunctionArguments smallArguments = null!;
    private AIFunctionArguments complexArguments = null!;
    private AIFunctionArguments nestedArguments = null!;

    [GlobalSetup]
    public void Setup()
    {
        var agent = new BenchmarkAgent();
        generatedSmall = (AIFunction)agent.AgentTools.Single(t => t.Name == "Convert");
        generatedComplex = (AIFunction)agent.AgentTools.Single(t => t.Name == "PriceOrder");
        reflectedSmall = AIFunctionFactory.Create(agent.Convert);
        reflectedComplex = AIFunctionFactory.Create(agent.PriceOrder);
        generatedNested = (AIFunction)agent.AgentTools.Single(t => t.Name == "PlanShipment");
        reflectedNested = AIFunctionFactory.Create(agent.PlanShipment);

        smallArguments = Arguments("""{"amount":125.5,"from":"EUR","to":"USD"}""");
        complexArguments = Arguments("""
            {"request":{"customerId":"C-42","address":{"street":"1 Main St","city":"Oslo","country":"NO","postalCode":"0150"},
             "lines":[{"sku":"A","quantity":2,"unitPrice":9.99},{"sku":"B","quantity":1,"unitPrice":120},{"sku":"C","quantity":5,"unitPrice":1.25}],
             "express":true}}
            """);
        nestedArguments = Arguments("""
            {"parcels":[{"id":"P1","weightKg":2.5,"items":[{"sku":"A","quantity":2},{"sku":"B","quantity":1}]},
             {"id":"P2","weightKg":0.75,"items":[{"sku":"C","quantity":5}]},
             {"id":"P3","weightKg":12,"items":[{"sku":"D","quantity":1},{"sku":"E","quantity":3},{"sku":"F","quantity":4}]}]}
            """);
    }

    [Benchmark(Baseline = true, Description = "AIFunctionFactory, small")]
    [BenchmarkCategory("small")]
    public ValueTask<object?> ReflectedSmall() => reflectedSmall.InvokeAsync(smallArguments);

    [Benchmark(Description = "Generated, small")]
    [BenchmarkCategory("small")]
    public ValueTask<object?> GeneratedSmall() => generatedSmall.InvokeAsync(smallArguments);

    [Benchmark(Baseline = true, Description = "AIFunctionFactory, record")]
    [BenchmarkCategory("complex")]
    public ValueTask<object?> ReflectedComplex() => reflectedComplex.InvokeAsync(complexArguments);

    [Benchmark(Description = "Generated, record")]
    [BenchmarkCategory("complex")]
    public ValueTask<object?> GeneratedComplex() => generatedComplex.InvokeAsync(complexArguments);

    [Benchmark(Baseline = true, Description = "AIFunctionFactory, nested list of records")]
    [BenchmarkCategory("nested")]
    public ValueTask<object?> ReflectedNested() => reflectedNested.InvokeAsync(nestedArguments);

    [Benchmark(Description = "Generated, nested list of records")]
    [BenchmarkCategory("nested")]
    public ValueTask<object?> GeneratedNested() => generatedNested.InvokeAsync(nestedArguments);

    private static AIFunctionArguments Arguments(string json)
    {
        var arguments = new AIFunctionArguments();
        foreach (var property in JsonDocument.Parse(json).RootElement.EnumerateObject())
        {
            arguments[property.Name] = property.Value.Clone();
        }

        return arguments;
    }
}
