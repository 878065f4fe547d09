using BenchmarkDotNet.Attributes;

namespace AgentGuard.Benchmarks;

/// <summary>
/// Recording a step and a tool call, on one thread and contended by four. Each invocation records a batch into a
/// ledger that is reset (keeping its storage) first, as a worker reusing one ledger per run would.
/// </summary>
[MemoryDiagnoser]
public class LedgerBenchmarks
{
    private const int Batch = 1_024;
    private static readonly TokenUsage Usage = new(1_200, 3_800, 0, 350, 40, 600);
    private static readonly ToolCallRecord Call = new("lookup_order", TimeSpan.FromMilliseconds(3), cacheHit: false, failed: false);

    private readonly CostLedger ledger = new();

    [GlobalSetup]
    public void Setup()
    {
        // Grow the storage once, so the measured batches show the steady state.
        for (var i = 0; i < Batch; i++)
        {
            ledger.RecordStep("gpt-4o", Usage, 0.0123m);
            ledger.RecordToolCall(Call);
        }
    }

    [Benchmark(Description = "RecordStep, one thread", OperationsPerInvoke = Batch)]
    public void RecordStep()
    {
        ledger.Reset();
        for (var i = 0; i < Batch; i++)
        {
            ledger.RecordStep("gpt-4o", Usage, 0.0123m);
        }
    }

    [Benchmark(Description = "RecordToolCall, one thread", OperationsPerInvoke = Batch)]
    public void RecordToolCall()
    {
        ledger.Reset();
        for (var i = 0; i < Batch; i++)
        {
            ledger.RecordToolCall(Call);
        }
    }

    [Benchmark(Description = "RecordStep, 4 threads contended", OperationsPerInvoke = Batch)]
    public void RecordStepContended()
    {
        ledger.Reset();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < Batch / 4; i++)
            {
                ledger.RecordStep("gpt-4o", Usage, 0.0123m);
            }
        });
    }
}
