using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Guard;

[Collection(MemoryMeasurementCollection.Name)]
public sealed class BudgetChatClientTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "hello")];

    [Fact]
    public async Task GetResponseAsync_RequestWithoutCap_GetsPolicyCap()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { Budget = new BudgetPolicy { MaxOutputTokensPerStep = 256 } });

        await guard.GetResponseAsync(Question);
        await guard.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 100 });
        await guard.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 4096 });

        Assert.Equal(new int?[] { 256, 100, 256 }, inner.Requests.Select(r => r.Options!.MaxOutputTokens));
    }

    [Fact]
    public async Task GetResponseAsync_RecordsUsageAndCostInLedger()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 10_000, output: 1_000, cached: 8_000, model: "gpt-4o-2024-08-06"));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o" });

        await guard.GetResponseAsync(Question);

        var step = Assert.Single(guard.Lifetime.Ledger.GetSteps());
        Assert.Equal("gpt-4o-2024-08-06", step.ModelId);
        Assert.Equal((2_000 * 2.50m + 8_000 * 1.25m + 1_000 * 10m) / 1_000_000m, step.CostUsd);
    }

    [Fact]
    public async Task GetResponseAsync_NoUsageReported_EstimatesAndMarks()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer(new string('a', 400), input: null, output: null));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o" });

        await guard.GetResponseAsync(Question);

        var step = Assert.Single(guard.Lifetime.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(100, step.Usage.OutputTokens);
        Assert.True(step.CostUsd > 0);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_UsageFromFinalUpdate_IsRecorded()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("streamed answer", input: 1_000, output: 50));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o-mini" });

        var text = string.Concat(await guard.GetStreamingResponseAsync(Question).Select(u => u.Text).ToListAsync());

        Assert.Equal("streamed answer", text);
        var step = Assert.Single(guard.Lifetime.Ledger.GetSteps());
        Assert.False(step.IsEstimated);
        Assert.Equal(1_000, step.Usage.InputTokens);
        Assert.Equal(50, step.Usage.OutputTokens);
    }

    [Fact]
    public async Task GetResponseAsync_PastHardLimit_ThrowsBudgetExceededAndEscalates()
    {
        BudgetEscalation? escalation = null;
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 100_000, output: 1_000));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions
        {
            ModelId = "gpt-4o",
            Budget = new BudgetPolicy { HardLimitUsd = 0.50m },
            OnHardLimit = (e, _) => { escalation = e; return Task.CompletedTask; },
        });

        var completed = 0;
        using var run = guard.BeginRun();
        var error = await Assert.ThrowsAsync<BudgetExceededException>(async () =>
        {
            while (true)
            {
                await guard.GetResponseAsync(Question);
                completed++;
            }
        });

        // Each step costs $0.26: the second would pass $0.50 by its reservation, so it does not start.
        Assert.Equal(1, completed);
        Assert.Equal(BudgetLimit.HardCost, error.Limit);
        Assert.Equal(0.26m, error.Ledger.TotalCostUsd);
        Assert.NotNull(escalation);
        Assert.Single(inner.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_PastSoftLimit_RequestsFallbackModel()
    {
        var inner = new ScriptedChatClient((_, request) => ScriptedChatClient.Answer("hi", input: 5_000, output: 200, model: request.Options!.ModelId));
        var alerts = new List<BudgetAlert>();
        var guard = new BudgetChatClient(inner, new AgentGuardOptions
        {
            ModelId = "gpt-4o",
            Budget = new BudgetPolicy { SoftLimitUsd = 0.02m, FallbackModelId = "gpt-4o-mini" },
            OnAlert = alerts.Add,
        });

        using (guard.BeginRun())
        {
            for (var i = 0; i < 3; i++)
            {
                await guard.GetResponseAsync(Question);
            }
        }

        Assert.Equal(new[] { "gpt-4o", "gpt-4o", "gpt-4o-mini" }, inner.Requests.Select(r => r.Options!.ModelId));
        Assert.Single(alerts, a => a.Kind == BudgetAlertKind.SoftLimitReached);
    }

    [Fact]
    public async Task BeginRun_EachRunHasItsOwnBudget_AndSummaryHasPercentiles()
    {
        var inner = new ScriptedChatClient((turn, _) => ScriptedChatClient.Answer("hi", input: 1_000 * turn, output: 0));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 1 } });

        for (var run = 0; run < 3; run++)
        {
            using var scope = guard.BeginRun();
            await guard.GetResponseAsync(Question);
            scope.Succeeded = run != 1;
            await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question));
        }

        Assert.Equal(3, guard.Summary.Runs);
        Assert.Equal(0, guard.Summary.SuccessfulRuns); // every run tripped its step limit
        Assert.Equal(3_000 * 2.5m / 1_000_000m, guard.Summary.MaxCostUsd);
        Assert.Equal(0, guard.Lifetime.Ledger.Steps);
    }

    [Fact]
    public async Task UseAgentGuard_InBuilder_GuardsThePipeline()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        using var client = new ChatClientBuilder(inner)
            .UseAgentGuard(o => o.Budget = new BudgetPolicy { MaxOutputTokensPerStep = 64 })
            .Build();

        await client.GetResponseAsync(Question);

        Assert.Equal(64, inner.Requests[0].Options!.MaxOutputTokens);
        Assert.Equal(1, client.GetService<BudgetChatClient>()!.Lifetime.Ledger.Steps);
    }

    [Fact]
    public async Task HandWrittenToolLoop_LikeTheReadme_FallsBackWrapsUpAndReportsP95()
    {
        // A model that keeps calling a tool, behind FunctionInvokingChatClient, guarded per round trip.
        var inner = new ScriptedChatClient((turn, request) =>
        {
            var response = ScriptedChatClient.Calls(60_000, 300, ("lookup", ScriptedChatClient.Args(("id", turn))));
            response.ModelId = request.Options!.ModelId;
            return response;
        });
        var tools = new List<AITool> { AIFunctionFactory.Create((int id) => "row " + id, "lookup") };
        using var client = new ChatClientBuilder(inner)
            .UseFunctionInvocation()
            .UseAgentGuard(o =>
            {
                // No model named: the provider's default (gpt-4o, from the client's metadata) is priced.
                o.Budget = new BudgetPolicy { HardLimitUsd = 0.50m, SoftLimitUsd = 0.20m, FallbackModelId = "gpt-4o-mini", MaxOutputTokensPerStep = 800 };
            })
            .Build();
        var guard = client.GetService<BudgetChatClient>()!;

        for (var task = 0; task < 3; task++)
        {
            using var run = guard.BeginRun();
            var response = await client.GetResponseAsync(Question, new ChatOptions { Tools = tools });

            // The last affordable round trip is the wrap-up: tool calls off, so the tool loop ends with its answer.
            Assert.Equal(nameof(AgentRunStatus.HardLimitReached), response.AdditionalProperties![BudgetChatClient.WrapUpPropertyName]);
            Assert.DoesNotContain(response.Messages[^1].Contents, c => c is FunctionCallContent);
            Assert.Equal(AgentRunStatus.HardLimitReached, run.Status);
            Assert.True(run.Ledger.GetSteps()[^1].IsWrapUp);
            Assert.Equal(ChatToolMode.None, inner.Requests[^1].Options!.ToolMode);
            Assert.True(run.Ledger.TotalCostUsd <= 0.50m, $"spent {run.Ledger.TotalCostUsd}");
            Assert.Contains(run.Ledger.GetSteps(), s => s.ModelId == "gpt-4o-mini");

            // Nothing runs after the wrap-up.
            await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, new ChatOptions { Tools = tools }));
        }

        Assert.Equal(3, guard.Summary.Runs);
        Assert.True(guard.Summary.P95CostUsd > 0.20m && guard.Summary.P95CostUsd <= 0.50m);
        Assert.All(inner.Requests, r => Assert.True(r.Options!.MaxOutputTokens <= 800));
    }

    [Fact]
    public async Task GetResponseAsync_OutsideARun_WithOnlyAnOutputCap_CapsAndRecordsEveryRequest()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 100_000, output: 1_000));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 } });

        for (var i = 0; i < 5; i++)
        {
            await guard.GetResponseAsync(Question);
        }

        Assert.Equal(5, guard.Lifetime.Ledger.Steps);
        Assert.All(inner.Requests, r => Assert.Equal(300, r.Options!.MaxOutputTokens));
    }

    [Fact]
    public async Task GetResponseAsync_OutsideARun_TheGuardsHardLimitHoldsOverItsLifetime()
    {
        // A singleton guard in a web handler, no BeginRun: the configured $0.10 is not ignored.
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 10_000, output: 300));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions
        {
            ModelId = "gpt-4o",
            Budget = new BudgetPolicy { HardLimitUsd = 0.10m, MaxOutputTokensPerStep = 300 },
        });

        // $0.028 a request on gpt-4o (10,000 in, 300 out): three fit the $0.10 with their reservations, a fourth does not.
        BudgetExceededException? stop = null;
        for (var i = 0; i < 10 && stop is null; i++)
        {
            try
            {
                await guard.GetResponseAsync(Question);
            }
            catch (BudgetExceededException ex)
            {
                stop = ex;
            }
        }

        Assert.NotNull(stop);
        Assert.Equal(BudgetLimit.HardCost, stop!.Limit);
        Assert.Contains("lifetime budget", stop.Message, StringComparison.Ordinal);
        Assert.Contains("BeginRun", stop.Message, StringComparison.Ordinal);
        Assert.True(guard.Lifetime.Ledger.TotalCostUsd <= 0.10m, $"spent {guard.Lifetime.Ledger.TotalCostUsd}");
        Assert.Equal(guard.Lifetime.Ledger.Steps, inner.Requests.Count);
        Assert.DoesNotContain(guard.Lifetime.Ledger.GetSteps(), s => s.IsWrapUp);

        // A run has its own budget, apart from the lifetime one.
        using (guard.BeginRun())
        {
            await guard.GetResponseAsync(Question);
        }
    }

    [Fact]
    public async Task GetResponseAsync_OutsideARun_TheGuardsStepLimitCountsEveryRequest()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 2 } });

        await guard.GetResponseAsync(Question);
        await guard.GetResponseAsync(Question);
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question));

        Assert.Equal(BudgetLimit.Steps, stop.Limit);
        Assert.Equal(2, inner.Requests.Count);
    }

    [Fact]
    public void UseAgentGuard_WithRegisteredOptions_ConfiguresACopy()
    {
        var prices = new PriceTable().Set("house-model", new ModelPrice { InputPerMillionUsd = 1m, OutputPerMillionUsd = 2m });
        var registered = new AgentGuardOptions { ModelId = "house-model", Prices = prices };
        var services = new SingleServiceProvider(registered);

        using var client = new ChatClientBuilder(new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi")))
            .UseAgentGuard(o => o.Budget = new BudgetPolicy { MaxSteps = 2 })
            .Build(services);

        var guard = client.GetService<BudgetChatClient>()!;
        Assert.Same(prices, guard.Options.Prices);
        Assert.Equal("house-model", guard.Options.ModelId);
        Assert.Equal(2, guard.Options.Budget!.MaxSteps);
        Assert.Null(registered.Budget);
    }

    [Fact]
    public async Task GetResponseAsync_UsdBudgetAndUnknownModel_FailsBeforeCalling()
    {
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        var guard = new BudgetChatClient(inner, new AgentGuardOptions { ModelId = "acme-7", Budget = new BudgetPolicy { HardLimitUsd = 1m } });

        Assert.Throws<UnknownModelPriceException>(() => guard.BeginRun());
        guard.Options.ModelId = null;
        using (guard.BeginRun())
        {
            await Assert.ThrowsAsync<UnknownModelPriceException>(() => guard.GetResponseAsync(Question, new ChatOptions { ModelId = "acme-7" }));
        }

        Assert.Empty(inner.Requests);
    }

    private sealed class SingleServiceProvider(AgentGuardOptions options) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(AgentGuardOptions) ? options : null;
    }

    [Fact]
    public async Task GetResponseAsync_AMillionRequestsOutsideARun_KeepMemoryBounded()
    {
        var guard = new BudgetChatClient(new FixedAnswerClient(), new AgentGuardOptions { ModelId = "gpt-4o" });
        var options = new ChatOptions { MaxOutputTokens = 10 };
        for (var i = 0; i < 2_000; i++)
        {
            await guard.GetResponseAsync(Question, options);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 1_000_000; i++)
        {
            await guard.GetResponseAsync(Question, options);
        }

        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(guard);

        // Every step kept would take over 100 MB; the ledger keeps totals and the last 1024 steps.
        Assert.True(grown < 4_000_000, $"The guard grew by {grown:N0} bytes over a million requests.");
        Assert.Equal(1_002_000, guard.Lifetime.Ledger.Steps);
        Assert.Equal(1_002_000L * 110, guard.Lifetime.Ledger.TotalTokens);
        Assert.Equal(CostLedger.DefaultHistoryCapacity, guard.Lifetime.Ledger.GetSteps().Count);
    }

    // Answers every request with the same response and keeps nothing: only the guard can grow.
    private sealed class FixedAnswerClient : IChatClient
    {
        private static readonly ChatResponse Response = new(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 10 },
        };

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(Response);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Response.ToChatResponseUpdates().ToAsyncEnumerable();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
