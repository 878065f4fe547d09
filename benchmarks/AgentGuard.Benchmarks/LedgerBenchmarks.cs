using BenchmarkDotNet.Attributes;

namespace AgentGuard.Benchmarks;

/// <summary>Recording a step and a tool call, on one thread and contended by several.</summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int ContendedOperations = 4_096;
    private static readonly TokenUsage Usage = new(1_200, 3_800, 0, 350, 40, 600);
    private static readonly ToolCallRecord Call = new("lookup_order", TimeSpan.FromMilliseconds(3), cacheHit: false, failed: false);

    private CostLedger ledger = null!;

    [IterationSetup]
    public void Setup() => ledger = new CostLedger();

    [Benchmark(Description = "RecordStep, one thread")]
    public StepRecord RecordStep() => ledger.RecordStep("gpt-4o", Usage, 0.0123m);

    [Benchmark(Description = "RecordToolCall, one thread")]
    public void RecordToolCall() => ledger.RecordToolCall(Call);

    [Benchmark(Description = "RecordStep, 4 threads contended", OperationsPerInvoke = ContendedOperations)]
    public void RecordStepContended()
    {
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < ContendedOperations / 4; i++)
            {
                ledger.RecordStep("gpt-4o", Usage, 0.0123m);
            }
        });
    }
}
