using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AgentGuard.Benchmarks;

/// <summary>
/// A generated tool against <c>AIFunctionFactory.Create</c> on the same method, invoked the way
/// <c>FunctionInvokingChatClient</c> invokes tools: <see cref="AIFunction.InvokeAsync"/> with the model's
/// <see cref="JsonElement"/> arguments.
/// </summary>
[MemoryDiagnoser]
public class ToolDispatchBenchmarks
{
    private AIFunction generatedSmall = null!;
    private AIFunction reflectedSmall = null!;
    private AIFunction generatedComplex = null!;
    private AIFunction reflectedComplex = null!;
    private AIFunctionArguments smallArguments = null!;
    private AIFunctionArguments complexArguments = null!;

    [GlobalSetup]
    public void Setup()
    {
        var agent = new BenchmarkAgent();
        generatedSmall = (AIFunction)agent.AgentTools.Single(t => t.Name == "Convert");
        generatedComplex = (AIFunction)agent.AgentTools.Single(t => t.Name == "PriceOrder");
        reflectedSmall = AIFunctionFactory.Create(agent.Convert);
        reflectedComplex = AIFunctionFactory.Create(agent.PriceOrder);

        smallArguments = Arguments("""{"amount":125.5,"from":"EUR","to":"USD"}""");
        complexArguments = Arguments("""
            {"request":{"customerId":"C-42","address":{"street":"1 Main St","city":"Oslo","country":"NO","postalCode":"0150"},
             "lines":[{"sku":"A","quantity":2,"unitPrice":9.99},{"sku":"B","quantity":1,"unitPrice":120},{"sku":"C","quantity":5,"unitPrice":1.25}],
             "express":true}}
            """);
    }

    [Benchmark(Baseline = true, Description = "AIFunctionFactory, small")]
    [BenchmarkCategory("small")]
    public ValueTask<object?> ReflectedSmall() => reflectedSmall.InvokeAsync(smallArguments);

    [Benchmark(Description = "Generated, small")]
    [BenchmarkCategory("small")]
    public ValueTask<object?> GeneratedSmall() => generatedSmall.InvokeAsync(smallArguments);

    [Benchmark(Description = "AIFunctionFactory, record")]
    [BenchmarkCategory("complex")]
    public ValueTask<object?> ReflectedComplex() => reflectedComplex.InvokeAsync(complexArguments);

    [Benchmark(Description = "Generated, record")]
    [BenchmarkCategory("complex")]
    public ValueTask<object?> GeneratedComplex() => generatedComplex.InvokeAsync(complexArguments);

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
