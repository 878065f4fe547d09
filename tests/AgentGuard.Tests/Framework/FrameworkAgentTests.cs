using AgentGuard.Agents;
using AgentGuard.Tests.Infrastructure;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Framework;

/// <summary>Microsoft Agent Framework agents (a real <c>ChatClientAgent</c> over a scripted model) under AgentGuard.</summary>
public sealed class FrameworkAgentTests
{
    private static readonly AIFunction Lookup = AIFunctionFactory.Create((int id) => "row " + id, "lookup", "Looks up a row.");

    // A model that calls the tool until it is told it may not, then answers from what it has.
    private static ScriptedChatClient Persistent(long input = 1_000, long output = 50, string answer = "best answer so far")
        => new((turn, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer(answer, input: input, output: output)
            : Calls(input, output, ("lookup", Args(("id", turn)))));

    private static GuardedAIAgent Agent(IChatClient model, BudgetPolicy budget, string name = "researcher", Action<AgentGuardOptions>? configure = null, IList<AITool>? tools = null, BudgetPolicy? sessionBudget = null)
        => model.AsGuardedAIAgent(
            new ChatClientAgentOptions { Name = name, ChatOptions = new ChatOptions { Tools = tools ?? [Lookup] } },
            o =>
            {
                o.ModelId = "gpt-4o";
                o.Budget = budget;
                configure?.Invoke(o);
            },
            a => a.SessionBudget = sessionBudget);

    [Fact]
    public async Task StepLimit_TripsInsideTheFrameworkLoop_AndTheRunAnswersWithItsWrapUp()
    {
        var model = Persistent();
        var agent = Agent(model, new BudgetPolicy { MaxSteps = 3, MaxOutputTokensPerStep = 200 });

        var response = await agent.RunAsync("Find the row.");

        var report = response.GetAgentGuardReport()!;
        Assert.Equal("best answer so far", response.Text);
        Assert.Equal(AgentRunStatus.StepLimitReached, report.Status);
        Assert.True(report.WrappedUp);
        Assert.Equal(3, model.Requests.Count);
        Assert.Equal(3, report.Ledger.Steps);
        Assert.Equal(new ChatToolMode?[] { null, null, ChatToolMode.None }, model.Requests.Select(r => r.Options!.ToolMode));

        // The wrap-up's instruction is the last message of that request only, never part of the conversation.
        Assert.Contains("no tool can be called", model.Requests[2].Messages[^1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Messages, m => m.Text.Contains("no tool can be called", StringComparison.Ordinal));
        Assert.Equal(nameof(AgentRunStatus.StepLimitReached), response.AdditionalProperties![AgentGuardResponseExtensions.StatusPropertyName]);
    }

    [Fact]
    public async Task HardLimit_WithoutWrapUp_EndsTheRunWithNoAnswer_AndNeverPassesTheLimit()
    {
        var model = Persistent(input: 100_000, output: 200);
        var agent = Agent(model, new BudgetPolicy { HardLimitUsd = 0.60m, MaxOutputTokensPerStep = 200 }, configure: o => o.WrapUp = WrapUpOptions.Disabled);

        var response = await agent.RunAsync("Find the row.");

        // $0.252 a step on gpt-4o: two fit in $0.60, a third would not.
        var report = response.GetAgentGuardReport()!;
        Assert.Equal(AgentRunStatus.HardLimitReached, report.Status);
        Assert.False(report.WrappedUp);
        Assert.Equal(string.Empty, response.Text);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(0.504m, report.Ledger.TotalCostUsd);
        Assert.Contains("hard limit", report.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HardLimit_WithWrapUp_HoldsBackItsPrice_SoTheAnswerStillFitsTheLimit()
    {
        var model = Persistent(input: 100_000, output: 200);
        var agent = Agent(model, new BudgetPolicy { HardLimitUsd = 0.60m, MaxOutputTokensPerStep = 200 });

        var response = await agent.RunAsync("Find the row.");

        var report = response.GetAgentGuardReport()!;
        Assert.Equal(AgentRunStatus.HardLimitReached, report.Status);
        Assert.True(report.WrappedUp);
        Assert.Equal("best answer so far", response.Text);
        Assert.True(report.Ledger.TotalCostUsd <= 0.60m, $"spent {report.Ledger.TotalCostUsd}");
        Assert.Equal(ChatToolMode.None, model.Requests[^1].Options!.ToolMode);
    }

    [Fact]
    public async Task WrapUp_TheBudgetCannotPayFor_IsSkipped()
    {
        // 1,050 tokens a step: the first step fits the 2,000-token budget, but neither a second step nor a wrap-up does.
        var model = Persistent();
        var agent = Agent(model, new BudgetPolicy { MaxTotalTokens = 2_000, MaxOutputTokensPerStep = 50 }, configure: o => o.WrapUp = new WrapUpOptions { MaxOutputTokens = 1_000 });

        var response = await agent.RunAsync("Find the row.");

        var report = response.GetAgentGuardReport()!;
        Assert.Equal(AgentRunStatus.TokenLimitReached, report.Status);
        Assert.False(report.WrappedUp);
        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task ToolCallLimit_TheCallPastItIsNotRun_AndTheRunWrapsUp()
    {
        var runs = 0;
        var counted = AIFunctionFactory.Create((int id) => { runs++; return "row " + id; }, "lookup", "Looks up a row.");
        var model = Persistent();
        var agent = Agent(model, new BudgetPolicy { MaxToolCalls = 2, MaxOutputTokensPerStep = 200 }, tools: [counted]);

        var response = await agent.RunAsync("Find the row.");

        var report = response.GetAgentGuardReport()!;
        Assert.Equal(2, runs);
        Assert.Equal(2, report.Ledger.ToolCalls);
        Assert.Equal(AgentRunStatus.ToolCallLimitReached, report.Status);
        Assert.True(report.WrappedUp);
        Assert.Equal("best answer so far", response.Text);
        Assert.Equal(4, model.Requests.Count); // two calls run, the third dropped, then the wrap-up
        Assert.Equal(ChatToolMode.None, model.Requests[^1].Options!.ToolMode);
    }

    [Fact]
    public async Task ToolCallLimit_ManyCallsInOneAnswer_OnlyThoseWithinTheLimitRun()
    {
        var runs = 0;
        var counted = AIFunctionFactory.Create((int id) => { runs++; return "row " + id; }, "lookup", "Looks up a row.");
        var model = new ScriptedChatClient((turn, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer("rows 1 and 2", input: 500, output: 10)
            : Calls(500, 30, ("lookup", Args(("id", 1))), ("lookup", Args(("id", 2))), ("lookup", Args(("id", 3)))));
        var agent = Agent(model, new BudgetPolicy { MaxToolCalls = 2, MaxOutputTokensPerStep = 200 }, tools: [counted]);

        var response = await agent.RunAsync("Find rows.");

        Assert.Equal(2, runs);
        Assert.Equal("rows 1 and 2", response.Text);
        Assert.Equal(2, model.Requests.Count);
        Assert.Equal(AgentRunStatus.ToolCallLimitReached, response.GetAgentGuardReport()!.Status);

        // The dropped call never reaches the model's history, so no call goes unanswered.
        var calls = model.Requests[1].Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
        var results = model.Requests[1].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();
        Assert.Equal(2, calls);
        Assert.Equal(2, results);
    }

    [Fact]
    public async Task StreamingRun_ToolCallLimit_StreamsTheWrapUpAfterTheDroppedCall()
    {
        var model = Persistent();
        var agent = Agent(model, new BudgetPolicy { MaxToolCalls = 1, MaxOutputTokensPerStep = 200 });

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync("Find the row."))
        {
            updates.Add(update);
        }

        var report = updates[^1].GetAgentGuardReport()!;
        Assert.Equal(AgentRunStatus.ToolCallLimitReached, report.Status);
        Assert.Equal(1, report.Ledger.ToolCalls);
        Assert.Contains("best answer so far", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Equal(3, model.Requests.Count);
    }

    [Fact]
    public async Task StreamingRun_IsPricedStepByStep_AndTheLastUpdateCarriesTheReport()
    {
        var model = new ScriptedChatClient(
            Calls(1_000, 40, ("lookup", Args(("id", 7)))),
            Answer("row 7 it is", input: 1_100, output: 20));
        var agent = Agent(model, new BudgetPolicy { MaxSteps = 5, MaxOutputTokensPerStep = 200 });

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync("Find row 7."))
        {
            updates.Add(update);
        }

        var report = updates[^1].GetAgentGuardReport()!;
        Assert.Equal(AgentRunStatus.Completed, report.Status);
        Assert.Equal(2, report.Ledger.Steps);
        Assert.Equal(2_100, report.Ledger.InputTokens);
        Assert.Equal(0.00585m, report.Ledger.TotalCostUsd); // 2,100 in at $2.50/M, 60 out at $10/M
        Assert.Contains("row 7 it is", string.Concat(updates.Select(u => u.Text)), StringComparison.Ordinal);
        Assert.Null(updates[0].GetAgentGuardReport());
    }

    [Fact]
    public async Task AgentCalledAsATool_DrawsFromItsCallersBudget_AndItsStepsAreInTheCallersLedgerUnderItsName()
    {
        var childModel = Persistent(answer: "the child's findings");
        var child = Agent(childModel, new BudgetPolicy { MaxSteps = 20, MaxOutputTokensPerStep = 100 }, name: "searcher");

        var parentModel = new ScriptedChatClient((turn, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer("the parent's summary", input: 500, output: 30)
            : turn == 1
                ? Calls(500, 30, ("searcher", Args(("query", "rows"))))
                : Answer("done", input: 500, output: 30));
        var parent = Agent(parentModel, new BudgetPolicy { MaxSteps = 5, MaxOutputTokensPerStep = 100 }, name: "planner", tools: [child.AsAIFunction()]);

        var response = await parent.RunAsync("Plan it.");

        var report = response.GetAgentGuardReport()!;
        var steps = report.Ledger.GetSteps();

        // The parent's 5 steps: its own first call, the child's calls (the child had 20 of its own but only what the
        // parent could spare, keeping the parent's wrap-up), and the parent's wrap-up.
        Assert.Equal(5, report.Ledger.Steps);
        Assert.Equal("searcher", steps[1].Agent);
        Assert.Null(steps[0].Agent);
        Assert.True(steps[^1].IsWrapUp);
        Assert.Null(steps[^1].Agent);
        Assert.Equal("the parent's summary", response.Text);
        Assert.Equal(AgentRunStatus.StepLimitReached, report.Status);
        Assert.Equal(steps.Count(s => s.Agent == "searcher"), childModel.Requests.Count);
        Assert.Equal(ChatToolMode.None, childModel.Requests[^1].Options!.ToolMode);
    }

    [Fact]
    public async Task SessionBudget_CarriesAcrossRuns_OfTheSameSession()
    {
        var model = new ScriptedChatClient((turn, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer("that is all I can do", input: 300, output: 10)
            : turn % 2 == 1 ? Calls(300, 10, ("lookup", Args(("id", turn)))) : Answer("found it", input: 300, output: 10));
        var agent = Agent(model, new BudgetPolicy { MaxSteps = 10, MaxOutputTokensPerStep = 100 }, sessionBudget: new BudgetPolicy { MaxSteps = 5 });
        var session = await agent.CreateSessionAsync();

        var first = await agent.RunAsync("One.", session);
        var second = await agent.RunAsync("Two.", session);
        var third = await agent.RunAsync("Three.", session);

        Assert.Equal(AgentRunStatus.Completed, first.GetAgentGuardReport()!.Status);
        Assert.Equal(AgentRunStatus.Completed, second.GetAgentGuardReport()!.Status);

        // Four of the session's five calls are spent: the third run's first call is its wrap-up.
        Assert.Equal(AgentRunStatus.StepLimitReached, third.GetAgentGuardReport()!.Status);
        Assert.Equal("that is all I can do", third.Text);
        Assert.Equal(5, model.Requests.Count);

        // A new session starts again.
        var fresh = await agent.RunAsync("Four.", await agent.CreateSessionAsync());
        Assert.Equal(AgentRunStatus.Completed, fresh.GetAgentGuardReport()!.Status);
    }

    [Fact]
    public void UseAgentGuard_OnAnAgentWithNoGuardInItsPipeline_FailsAndSaysHowToFixIt()
    {
        var agent = new ChatClientAgent(Persistent(), new ChatClientAgentOptions { Name = "bare", ChatOptions = new ChatOptions { MaxOutputTokens = 100 } });

        var error = Assert.Throws<InvalidOperationException>(() => agent.AsBuilder().UseAgentGuard().Build());

        Assert.Contains("UseAgentGuard(", error.Message, StringComparison.Ordinal);
        Assert.Contains("bare", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseAgentGuard_OnTheAgentBuilder_OverAGuardedClient_GuardsEachRun()
    {
        var model = Persistent();
        var guarded = new ChatClientBuilder(model).UseAgentGuard(o => { o.ModelId = "gpt-4o"; o.Budget = new BudgetPolicy { MaxSteps = 10, MaxOutputTokensPerStep = 100 }; }).Build();
        var agent = new ChatClientAgent(guarded, new ChatClientAgentOptions { Name = "builder", ChatOptions = new ChatOptions { Tools = [Lookup], MaxOutputTokens = 100 } })
            .AsBuilder()
            .UseAgentGuard(a => a.Budget = new BudgetPolicy { MaxSteps = 2 })
            .Build();

        var first = await agent.RunAsync("One.");
        var second = await agent.RunAsync("Two.");

        // Each run has its own two steps (the per-run budget replaces the guard's ten): a tool call, then the wrap-up.
        Assert.Equal(2, first.GetAgentGuardReport()!.Ledger.Steps);
        Assert.Equal(2, second.GetAgentGuardReport()!.Ledger.Steps);
        Assert.Equal(4, model.Requests.Count);
        Assert.Equal(2, agent.GetService<GuardedAIAgent>()!.Summary.Runs);
    }

    [Fact]
    public async Task ShowBudgetToModel_EndsEachRequestWithWhatIsLeft_AndNeverKeepsItInTheConversation()
    {
        var model = new ScriptedChatClient(
            Calls(1_000, 40, ("lookup", Args(("id", 1)))),
            Answer("done", input: 1_100, output: 20));
        var agent = Agent(model, new BudgetPolicy { MaxSteps = 6, MaxOutputTokensPerStep = 100 }, configure: o => o.ShowBudgetToModel = true);

        await agent.RunAsync("Go.");

        Assert.Equal("[Budget] Left for this task after this reply: 5 more model calls. Plan to finish within it.", model.Requests[0].Messages[^1].Text);
        Assert.Equal("[Budget] Left for this task after this reply: 4 more model calls. Plan to finish within it.", model.Requests[1].Messages[^1].Text);

        // Cache-safe: the second request starts with everything the first sent except the note.
        var firstWithoutNote = model.Requests[0].Messages.Take(model.Requests[0].Messages.Count - 1).Select(m => m.Text);
        Assert.Equal(firstWithoutNote, model.Requests[1].Messages.Take(model.Requests[0].Messages.Count - 1).Select(m => m.Text));
        Assert.DoesNotContain(model.Requests[1].Messages.Take(model.Requests[1].Messages.Count - 1), m => m.Text.StartsWith("[Budget]", StringComparison.Ordinal));
    }
}
