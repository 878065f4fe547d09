using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Guard;

/// <summary>Calls cut short after the request was sent are billed by providers, so they are charged, not free.</summary>
public sealed class InterruptedStepTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, new string('q', 4_000))];

    private static BudgetChatClient Guard(IChatClient inner, BudgetPolicy? budget = null)
        => new(inner, new AgentGuardOptions { ModelId = "gpt-4o", Budget = budget ?? new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 100 }, WrapUp = WrapUpOptions.Disabled });

    private static long InputEstimate(BudgetChatClient guard)
        => StepAccounting.EstimateInputTokens(Question, new ChatOptions { ModelId = "gpt-4o", MaxOutputTokens = guard.Options.Budget!.MaxOutputTokensPerStep }, CharacterTokenEstimator.Instance);

    [Fact]
    public async Task GetResponseAsync_ProviderFailsAfterSending_ChargesInputEstimateAndRethrowsTheSameException()
    {
        var failure = new TimeoutException("the provider took too long");
        var inner = new FaultyChatClient { Respond = _ => Task.FromException<ChatResponse>(failure) };
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => guard.GetResponseAsync(Question));

        Assert.Same(failure, thrown);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        Assert.Equal(0, step.Usage.OutputTokens);
        Assert.Equal(step.Usage.InputTokens * 2.5m / 1_000_000m, step.CostUsd);
        Assert.Equal(step.CostUsd, run.Tracker.SpentUsd);
        Assert.Equal(1, run.Ledger.EstimatedSteps);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledWhileWaiting_ChargesTheInput()
    {
        var inner = new FaultyChatClient();
        var guard = Guard(inner);
        using var cts = new CancellationTokenSource(50);

        using var run = guard.BeginRun();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.GetResponseAsync(Question, cancellationToken: cts.Token));

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
    }

    [Fact]
    public async Task GetResponseAsync_FailedSteps_CountAgainstTheHardLimit()
    {
        // 4,000 characters ≈ 1,000 input tokens ≈ $0.0025 a failed step on gpt-4o; the reservation adds 100 output.
        var inner = new FaultyChatClient { Respond = _ => Task.FromException<ChatResponse>(new HttpRequestException("504 Gateway Timeout")) };
        var guard = Guard(inner, new BudgetPolicy { HardLimitUsd = 0.008m, MaxOutputTokensPerStep = 100 });

        using var run = guard.BeginRun();
        BudgetExceededException? stop = null;
        for (var attempt = 0; attempt < 10 && stop is null; attempt++)
        {
            try
            {
                await guard.GetResponseAsync(Question);
            }
            catch (HttpRequestException)
            {
            }
            catch (BudgetExceededException e)
            {
                stop = e;
            }
        }

        Assert.NotNull(stop);
        Assert.Equal(BudgetLimit.HardCost, stop.Limit);
        Assert.Equal(2, inner.Requests);
        Assert.True(run.Ledger.TotalCostUsd > 0.005m && run.Ledger.TotalCostUsd <= 0.008m, $"spent {run.Ledger.TotalCostUsd}");
    }

    [Fact]
    public async Task GetResponseAsync_RequestRefusedAsInvalid_IsNotCharged()
    {
        var inner = new FaultyChatClient { Respond = _ => Task.FromException<ChatResponse>(new ArgumentException("Unsupported content type.", "messages")) };
        var guard = Guard(inner, new BudgetPolicy { HardLimitUsd = 0.004m, MaxOutputTokensPerStep = 100 });

        using var run = guard.BeginRun();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => guard.GetResponseAsync(Question));
        }

        // Nothing charged and every reservation released: each attempt still fits the budget.
        Assert.Equal(0, run.Ledger.Steps);
        Assert.Equal(0m, run.Tracker.SpentUsd);
        Assert.Equal(3, inner.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_CancelledBeforeTheCall_IsNotSentOrCharged()
    {
        var inner = new FaultyChatClient();
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.GetResponseAsync(Question, cancellationToken: new CancellationToken(canceled: true)));

        Assert.Equal(0, inner.Requests);
        Assert.Equal(0, run.Ledger.Steps);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsBeforeTheFirstUpdate_ChargesTheInput()
    {
        var failure = new IOException("connection reset");
        var inner = new FaultyChatClient { AfterUpdates = _ => Task.FromException(failure) };
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        var thrown = await Assert.ThrowsAsync<IOException>(async () => await guard.GetStreamingResponseAsync(Question).ToListAsync());

        Assert.Same(failure, thrown);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        Assert.Equal(step.CostUsd, run.Tracker.SpentUsd);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsMidway_ChargesInputAndTheOutputReceived()
    {
        var inner = new FaultyChatClient { AfterUpdates = _ => Task.FromException(new IOException("connection reset")) };
        inner.Updates.Add(FaultyChatClient.Call("lookup"));
        inner.Updates.Add(FaultyChatClient.Text("Looking that up"));
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        var seen = 0;
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var _ in guard.GetStreamingResponseAsync(Question))
            {
                seen++;
            }
        });

        Assert.Equal(2, seen);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        var expectedOutput = StepAccounting.MeasureInterrupted([], null, inner.Updates.SelectMany(u => u.Contents), CharacterTokenEstimator.Instance).OutputTokens;
        Assert.True(expectedOutput > 4, "a tool call and its arguments are output too");
        Assert.Equal(expectedOutput, step.Usage.OutputTokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_AbandonedAfterAToolCall_ChargesInputAndOutput()
    {
        var inner = new FaultyChatClient();
        inner.Updates.Add(FaultyChatClient.Call("lookup"));
        inner.Updates.Add(FaultyChatClient.Text("never read"));
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        await foreach (var _ in guard.GetStreamingResponseAsync(Question))
        {
            break; // the caller stops reading after the first update
        }

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        Assert.Equal(StepAccounting.MeasureInterrupted([], null, inner.Updates[0].Contents, CharacterTokenEstimator.Instance).OutputTokens, step.Usage.OutputTokens);
        Assert.True(step.CostUsd > step.Usage.InputTokens * 2.5m / 1_000_000m);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CancelledMidway_ChargesWhatWasSentAndReceived()
    {
        var inner = new FaultyChatClient { AfterUpdates = ct => Task.Delay(Timeout.Infinite, ct) };
        inner.Updates.Add(FaultyChatClient.Text("The answer is"));
        var guard = Guard(inner);
        using var cts = new CancellationTokenSource();

        using var run = guard.BeginRun();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in guard.GetStreamingResponseAsync(Question, cancellationToken: cts.Token))
            {
                cts.CancelAfter(20);
            }
        });

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        Assert.Equal(CharacterTokenEstimator.Instance.EstimateTokens("The answer is"), step.Usage.OutputTokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CreatedInARunEnumeratedAfterIt_IsChargedToThatRun()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("streamed", input: 1_000, output: 20));
        var guard = Guard(inner);

        IAsyncEnumerable<ChatResponseUpdate> stream;
        GuardedRun run;
        using (run = guard.BeginRun())
        {
            stream = guard.GetStreamingResponseAsync(Question);
        }

        await stream.ToListAsync();

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.Equal(1_000, step.Usage.InputTokens);
        Assert.Equal(0, guard.Lifetime.Ledger.Steps);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CreatedOutsideARunEnumeratedInOne_StaysOutsideIt()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("streamed", input: 1_000, output: 20));
        var guard = Guard(inner);

        var stream = guard.GetStreamingResponseAsync(Question);
        using var run = guard.BeginRun();
        await stream.ToListAsync();

        Assert.Equal(0, run.Ledger.Steps);
        Assert.Equal(1, guard.Lifetime.Ledger.Steps);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CompletedWithUsage_IsNotEstimated()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("streamed", input: 1_000, output: 20));
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        await guard.GetStreamingResponseAsync(Question).ToListAsync();

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.False(step.IsEstimated);
        Assert.Equal(20, step.Usage.OutputTokens);
    }

    [Theory]
    [InlineData(1_200)] // the report's input is larger than the estimate: it is kept
    [InlineData(10)] // the report's input is smaller than the estimate: the estimate is charged
    public async Task GetStreamingResponseAsync_AbandonedAfterAnEarlyUsageReport_ChargesTheLargerOfReportAndEstimate(long reportedInput)
    {
        // Anthropic's message_start carries the input tokens and about one output token, before any text.
        var inner = new FaultyChatClient();
        inner.Updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = reportedInput, OutputTokenCount = 1 })]));
        var streamed = new string('a', 8_000);
        inner.Updates.Add(FaultyChatClient.Text(streamed));
        inner.Updates.Add(FaultyChatClient.Text("never read"));
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        var seen = 0;
        await foreach (var _ in guard.GetStreamingResponseAsync(Question))
        {
            if (++seen == 2)
            {
                break;
            }
        }

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(Math.Max(reportedInput, InputEstimate(guard)), step.Usage.InputTokens);
        Assert.Equal(CharacterTokenEstimator.Instance.EstimateTokens(streamed), step.Usage.OutputTokens);
        Assert.True(step.Usage.OutputTokens > 1_000);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsAfterAnEarlyUsageReport_ChargesTheOutputReceived()
    {
        var inner = new FaultyChatClient { AfterUpdates = _ => Task.FromException(new IOException("connection reset")) };
        inner.Updates.Add(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 1_200, OutputTokenCount = 1 })]));
        var streamed = new string('a', 8_000);
        inner.Updates.Add(FaultyChatClient.Text(streamed));
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        await Assert.ThrowsAsync<IOException>(async () => await guard.GetStreamingResponseAsync(Question).ToListAsync());

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(1_200, step.Usage.InputTokens);
        Assert.Equal(CharacterTokenEstimator.Instance.EstimateTokens(streamed), step.Usage.OutputTokens);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DisposalThrowsAfterAbandoning_StillChargesAndReleasesTheReservation()
    {
        var inner = new ThrowingDisposalChatClient(new InvalidOperationException("dispose failed"), FaultyChatClient.Text("The answer is"), FaultyChatClient.Text(" never read"));
        // A step reserves ≈ $0.0035 and this one costs ≈ $0.0026: the next step fits after it, not beside a leaked reservation.
        var guard = Guard(inner, new BudgetPolicy { HardLimitUsd = 0.0065m, MaxOutputTokensPerStep = 100 });

        using var run = guard.BeginRun();
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in guard.GetStreamingResponseAsync(Question))
            {
                break;
            }
        });

        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(CharacterTokenEstimator.Instance.EstimateTokens("The answer is"), step.Usage.OutputTokens);

        // The reservation was reconciled, not leaked: the next step fits.
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await guard.GetStreamingResponseAsync(Question).ToListAsync());
        Assert.Equal(2, run.Ledger.Steps);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FailsThenDisposalThrows_RethrowsTheOriginalAndCharges()
    {
        var failure = new IOException("connection reset");
        var inner = new ThrowingDisposalChatClient(new InvalidOperationException("dispose failed"), FaultyChatClient.Text("The answer is")) { FailWith = failure };
        var guard = Guard(inner);

        using var run = guard.BeginRun();
        var thrown = await Assert.ThrowsAsync<IOException>(async () => await guard.GetStreamingResponseAsync(Question).ToListAsync());

        Assert.Same(failure, thrown);
        var step = Assert.Single(run.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(InputEstimate(guard), step.Usage.InputTokens);
        Assert.Equal(step.CostUsd, run.Tracker.SpentUsd);
    }

    /// <summary>A stream that sends its updates, then fails with <see cref="FailWith"/> if set, and whose disposal throws.</summary>
    private sealed class ThrowingDisposalChatClient : IChatClient
    {
        private readonly Exception disposalError;
        private readonly ChatResponseUpdate[] updates;

        public ThrowingDisposalChatClient(Exception disposalError, params ChatResponseUpdate[] updates)
        {
            this.disposalError = disposalError;
            this.updates = updates;
        }

        public Exception? FailWith { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => new Stream(this);

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("throwing-disposal", defaultModelId: "gpt-4o") : null;

        public void Dispose()
        {
        }

        private sealed class Stream : IAsyncEnumerable<ChatResponseUpdate>, IAsyncEnumerator<ChatResponseUpdate>
        {
            private readonly ThrowingDisposalChatClient client;
            private int index = -1;

            public Stream(ThrowingDisposalChatClient client) => this.client = client;

            public ChatResponseUpdate Current => client.updates[index];

            public IAsyncEnumerator<ChatResponseUpdate> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

            public ValueTask<bool> MoveNextAsync()
            {
                if (++index < client.updates.Length)
                {
                    return new ValueTask<bool>(true);
                }

                return client.FailWith is { } failure ? ValueTask.FromException<bool>(failure) : new ValueTask<bool>(false);
            }

            public ValueTask DisposeAsync() => ValueTask.FromException(client.disposalError);
        }
    }
}
