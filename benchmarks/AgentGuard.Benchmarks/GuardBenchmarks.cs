using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AgentGuard.Benchmarks;

/// <summary>What the budget guard adds to a request, against the bare inner client.</summary>
[MemoryDiagnoser]
public class GuardBenchmarks
{
    private readonly List<ChatMessage> messages =
    [
        new(ChatRole.System, "You are the support desk of a small web shop. Use the tools to answer."),
        new(ChatRole.User, "Where is my order A-1001?"),
    ];

    private IChatClient bare = null!;
    private IChatClient guarded = null!;

    [GlobalSetup]
    public void Setup()
    {
        bare = new InstantChatClient();
        guarded = new BudgetChatClient(new InstantChatClient(), new AgentGuardOptions
        {
            ModelId = "gpt-4o",
            Budget = new BudgetPolicy { MaxOutputTokensPerStep = 500, HardLimitUsd = 1_000_000m, SoftLimitUsd = 900_000m },
        });
    }

    // The guard's overhead is measured against a bare call: the output cap is the guard's to add, not the benchmark's.
#pragma warning disable AG0002
    [Benchmark(Baseline = true, Description = "Bare client")]
    public Task<ChatResponse> Bare() => bare.GetResponseAsync(messages);

    [Benchmark(Description = "BudgetChatClient")]
    public Task<ChatResponse> Guarded() => guarded.GetResponseAsync(messages);

    // A whole one-step task: begin a run (its budget, with the wrap-up held back), the request, end the run (summary).
    [Benchmark(Description = "BudgetChatClient, one-step run")]
    public async Task<ChatResponse> GuardedRun()
    {
        using var run = ((BudgetChatClient)guarded).BeginRun();
        return await guarded.GetResponseAsync(messages).ConfigureAwait(false);
    }
#pragma warning restore AG0002

    private sealed class InstantChatClient : IChatClient
    {
        private readonly Task<ChatResponse> response = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "In transit."))
        {
            ModelId = "gpt-4o",
            Usage = new UsageDetails { InputTokenCount = 1_200, CachedInputTokenCount = 1_024, OutputTokenCount = 12 },
        });

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => response;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
