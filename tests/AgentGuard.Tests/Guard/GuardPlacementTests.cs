using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Guard;

/// <summary>Where the guard sits in a pipeline with a tool loop, and runs begun inside runs.</summary>
public sealed class GuardPlacementTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "hello")];

    private static readonly List<AITool> Tools = [AIFunctionFactory.Create((int id) => "row " + id, "lookup")];

    // A model that calls the tool on every turn and never answers.
    private static ScriptedChatClient ToolLoopingModel()
        => new((turn, _) => ScriptedChatClient.Calls(100, 10, ("lookup", ScriptedChatClient.Args(("id", turn)))));

    [Fact]
    public async Task GuardOutsideFunctionInvocation_FailsBeforeSendingAndNamesTheRightOrder()
    {
        var model = ToolLoopingModel();
#pragma warning disable AG0007 // the misplaced guard is what this test is about
        using var client = new ChatClientBuilder(model)
            .UseAgentGuard(o =>
            {
                o.Budget = new BudgetPolicy { MaxSteps = 3, MaxOutputTokensPerStep = 100 };
                o.WrapUp = WrapUpOptions.Disabled;
            })
            .UseFunctionInvocation()
            .Build();
#pragma warning restore AG0007
        var guard = client.GetService<BudgetChatClient>()!;

        using var run = guard.BeginRun();
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => client.GetResponseAsync(Question, new ChatOptions { Tools = Tools }));

        Assert.IsNotType<BudgetExceededException>(error);
        Assert.Contains(".UseFunctionInvocation().UseAgentGuard(", error.Message, StringComparison.Ordinal);
        Assert.Contains("up to 40 model calls", error.Message, StringComparison.Ordinal);
        Assert.Empty(model.Requests);
        Assert.Equal(0, run.Ledger.Steps);
        Assert.Throws(error.GetType(), () => client.GetStreamingResponseAsync(Question));
    }

    [Fact]
    public async Task GuardInsideFunctionInvocation_StopsTheToolLoopAtMaxSteps()
    {
        var model = ToolLoopingModel();
        using var client = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .UseAgentGuard(o =>
            {
                o.Budget = new BudgetPolicy { MaxSteps = 3, MaxOutputTokensPerStep = 100 };
                o.WrapUp = WrapUpOptions.Disabled;
            })
            .Build();
        var guard = client.GetService<BudgetChatClient>()!;

        using var run = guard.BeginRun();
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, new ChatOptions { Tools = Tools }));

        Assert.Equal(BudgetLimit.Steps, stop.Limit);
        Assert.Equal(3, model.Requests.Count);
        Assert.Equal(3, run.Ledger.Steps);
    }

    [Fact]
    public async Task GuardsOnBothSidesOfFunctionInvocation_AreAllowed_AndTheInnerOneLimitsEveryRoundTrip()
    {
        var model = ToolLoopingModel();
        var roundTrips = new BudgetChatClient(model, new AgentGuardOptions { Budget = new BudgetPolicy { MaxSteps = 2, MaxOutputTokensPerStep = 100 }, WrapUp = WrapUpOptions.Disabled });
        using var client = new BudgetChatClient(new FunctionInvokingChatClient(roundTrips), new AgentGuardOptions { Budget = new BudgetPolicy { MaxOutputTokensPerStep = 100 } });

        using var run = roundTrips.BeginRun();
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => client.GetResponseAsync(Question, new ChatOptions { Tools = Tools }));

        Assert.Equal(BudgetLimit.Steps, stop.Limit);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(0, client.Lifetime.Ledger.Steps); // the inner guard's refusal is no failed call to charge
    }

    [Fact]
    public async Task GuardWithoutFunctionInvocation_IsNotRefused()
    {
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        using var client = new ChatClientBuilder(model).UseAgentGuard(o => o.Budget = new BudgetPolicy { MaxSteps = 3 }).Build();

        await client.GetResponseAsync(Question);

        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task GeneratedAgent_ThroughAMisplacedGuard_FailsWithoutCharging()
    {
        var model = ToolLoopingModel();
#pragma warning disable AG0007 // the misplaced guard is what this test is about
        using var client = new ChatClientBuilder(model).UseAgentGuard().UseFunctionInvocation().Build();
#pragma warning restore AG0007

        var result = await new AgentGuard.Tests.Agents.OrderAgent().RunAsync(client, Question, new AgentGuardOptions { ModelId = "gpt-4o" });

        Assert.Equal(AgentRunStatus.Failed, result.Status);
        Assert.Contains(".UseFunctionInvocation().UseAgentGuard(", result.StopReason, StringComparison.Ordinal);
        Assert.Equal(0, result.Ledger.Steps);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task BeginRun_InsideARunOfTheSameGuard_DrawsFromTheOuterRunsSteps()
    {
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 1_000, output: 10));
        var guard = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 3 }, WrapUp = WrapUpOptions.Disabled });

        using var outer = guard.BeginRun();
        await guard.GetResponseAsync(Question);
        await guard.GetResponseAsync(Question);
        using (var inner = guard.BeginRun())
        {
            Assert.True(inner.IsNested);
            Assert.Same(outer.Tracker, inner.Tracker.Parent);
            await guard.GetResponseAsync(Question);
            var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question));
            Assert.Equal(BudgetLimit.Steps, stop.Limit);
            Assert.Equal(1, inner.Ledger.Steps);
        }

        Assert.Equal(3, outer.Ledger.Steps);
        Assert.Equal(3, model.Requests.Count);
        await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question));
    }

    [Fact]
    public async Task BeginRun_InsideARunOfTheSameGuard_NeverSpendsMoreThanTheOuterHasLeft()
    {
        // $0.0026 a step on gpt-4o (1,000 in, 10 out); reservations of 1,000 in + 100 out = $0.0035.
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 1_000, output: 10));
        var guard = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { HardLimitUsd = 0.01m, MaxOutputTokensPerStep = 100 }, WrapUp = WrapUpOptions.Disabled });

        using var outer = guard.BeginRun();
        await guard.GetResponseAsync(Question);
        await guard.GetResponseAsync(Question);
        decimal innerSpent;
        using (var inner = guard.BeginRun())
        {
            await Assert.ThrowsAsync<BudgetExceededException>(async () =>
            {
                while (true)
                {
                    await guard.GetResponseAsync(Question);
                }
            });
            innerSpent = inner.Ledger.TotalCostUsd;
            Assert.Equal(BudgetLimit.HardCost, inner.Tracker.TrippedLimit);
        }

        Assert.Equal(0.0026m, innerSpent);
        Assert.Equal(0.0078m, outer.Ledger.TotalCostUsd);
        Assert.Equal(outer.Ledger.TotalCostUsd, outer.Tracker.SpentUsd);
        Assert.True(outer.Ledger.TotalCostUsd <= 0.01m);
    }

    [Fact]
    public async Task BeginRun_Nested_IsCountedInTheSummaryOnceThroughItsOuterRun()
    {
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi", input: 1_000, output: 0));
        var guard = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 5 } });

        using (var outer = guard.BeginRun())
        {
            using (guard.BeginRun())
            {
                await guard.GetResponseAsync(Question);
            }

            outer.Succeeded = true;
        }

        Assert.Equal(1, guard.Summary.Runs);
        Assert.Equal(0.0025m, guard.Summary.MaxCostUsd);
    }

    [Fact]
    public async Task BeginRun_AfterTheOuterRunEnded_IsFresh()
    {
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        var guard = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 1 } });

        using (guard.BeginRun())
        {
            await guard.GetResponseAsync(Question);
        }

        using var next = guard.BeginRun();
        Assert.False(next.IsNested);
        Assert.Null(next.Tracker.Parent);
        await guard.GetResponseAsync(Question);
    }

    [Fact]
    public async Task BeginRun_InsideARunOfAnotherGuard_DrawsFromIt_AndTheInnermostRunPays()
    {
        var model = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        var first = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", AgentName = "planner", Budget = new BudgetPolicy { MaxSteps = 2 }, WrapUp = WrapUpOptions.Disabled });
        var second = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", AgentName = "helper", Budget = new BudgetPolicy { MaxSteps = 5 }, WrapUp = WrapUpOptions.Disabled });

        using var firstRun = first.BeginRun();
        using var secondRun = second.BeginRun();
        await second.GetResponseAsync(Question);

        // The planner's client, called from inside the helper's run (the helper's code), is charged to the helper.
        await first.GetResponseAsync(Question);
        var refused = await Assert.ThrowsAsync<BudgetExceededException>(() => second.GetResponseAsync(Question));

        Assert.Same(firstRun, secondRun.Outer);
        Assert.Equal(BudgetLimit.Steps, refused.Limit);
        Assert.Equal(2, firstRun.Ledger.Steps);
        Assert.Equal(new[] { "helper", "helper" }, firstRun.Ledger.GetSteps().Select(s => s.Agent));
        Assert.Equal(2, secondRun.Ledger.Steps);

        // Once the helper's run ends, the planner's own requests are the planner's again.
        secondRun.Dispose();
        var own = await Assert.ThrowsAsync<BudgetExceededException>(() => first.GetResponseAsync(Question));
        Assert.Equal(BudgetLimit.Steps, own.Limit);
        Assert.Equal(0, first.Lifetime.Ledger.Steps);
        Assert.Equal(0, second.Lifetime.Ledger.Steps);
    }
}
