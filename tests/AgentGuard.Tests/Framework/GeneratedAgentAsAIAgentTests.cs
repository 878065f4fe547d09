using System.Text.Json;
using AgentGuard.Agents;
using AgentGuard.Tests.Agents;
using AgentGuard.Tests.Infrastructure;
using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Framework;

/// <summary>Generated agents as Microsoft Agent Framework agents, and generated agents inside one another.</summary>
public sealed class GeneratedAgentAsAIAgentTests
{
    private static readonly AgentGuardOptions Options = new() { ModelId = "gpt-4o" };

    // Calls a tool until tool calls are turned off, then answers.
    private static ScriptedChatClient Persistent(string tool, Dictionary<string, object?> args, string answer)
        => new((_, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer(answer, input: 400, output: 20)
            : Calls(400, 20, (tool, args)));

    [Fact]
    public async Task AsAIAgent_RunsTheGeneratedLoop_WithItsDeclaredLimits_AndReportsOnTheResponse()
    {
        var model = Persistent("Add", Args(("a", 1), ("b", 2)), "3, as far as I got");
        AIAgent agent = new OrderAgent().AsAIAgent(model, Options, "Answers order questions.");

        var response = await agent.RunAsync("What is 1 + 2?");

        var report = response.GetAgentGuardReport()!;
        Assert.Equal("OrderAgent", agent.Name);
        Assert.Equal("Answers order questions.", agent.Description);
        Assert.Equal("3, as far as I got", response.Text);
        Assert.Equal(AgentRunStatus.StepLimitReached, report.Status); // [Budget(MaxSteps = 4)]
        Assert.True(report.WrappedUp);
        Assert.Equal(4, model.Requests.Count);
        Assert.Equal(200, model.Requests[^1].Options!.MaxOutputTokens); // the wrap-up's 300, never above the per-step cap
        Assert.Equal(report.Ledger.InputTokens, response.Usage!.InputTokenCount);

        // The response holds what the run added: three tool rounds and the answer.
        Assert.Equal(7, response.Messages.Count);
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
    }

    [Fact]
    public async Task AsAIAgent_Session_KeepsTheConversation_AndSurvivesSerialization()
    {
        var model = new ScriptedChatClient(Answer("Hello Ada.", input: 100, output: 5), Answer("Your name is Ada.", input: 120, output: 6));
        AIAgent agent = new OrderAgent().AsAIAgent(model, Options);
        var session = await agent.CreateSessionAsync();

        await agent.RunAsync("I am Ada.", session);
        var saved = await agent.SerializeSessionAsync(session);
        var restored = await agent.DeserializeSessionAsync(saved);
        var response = await agent.RunAsync("What is my name?", restored);

        Assert.Equal("Your name is Ada.", response.Text);
        Assert.Equal(new[] { "I am Ada.", "Hello Ada.", "What is my name?" }, model.Requests[1].Messages.Select(m => m.Text));
        Assert.Single(response.Messages);
    }

    [Fact]
    public async Task AsAIAgent_ModelCallFails_ThrowsLikeAnyAgent()
    {
        var model = new ScriptedChatClient(Answer("unused")) { FailWith = new HttpRequestException("503 from the provider") };
        AIAgent agent = new OrderAgent().AsAIAgent(model, Options);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => agent.RunAsync("Hi."));

        Assert.Equal("503 from the provider", error.Message);
    }

    [Fact]
    public async Task GeneratedAgent_InASequentialWorkflow_KeepsItsLimits()
    {
        var orderModel = Persistent("Add", Args(("a", 2), ("b", 2)), "4");
        var writerModel = new ScriptedChatClient((_, _) => Answer("Summary: the sum is 4.", input: 300, output: 10));
        var orders = new OrderAgent().AsAIAgent(orderModel, Options, "Computes.");
        var writer = writerModel.AsGuardedAIAgent(
            new ChatClientAgentOptions { Name = "writer", ChatOptions = new ChatOptions { MaxOutputTokens = 100 } },
            o => { o.ModelId = "gpt-4o"; o.Budget = new BudgetPolicy { MaxSteps = 2, MaxOutputTokensPerStep = 100 }; });
        var workflow = AgentWorkflowBuilder.BuildSequential(orders, writer);

        var text = new System.Text.StringBuilder();
        var errors = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using (var run = await InProcessExecution.RunStreamingAsync(workflow, new List<ChatMessage> { new(ChatRole.User, "Add 2 and 2, then summarise.") }))
        {
            await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
            await foreach (var evt in run.WatchStreamAsync(timeout.Token))
            {
                if (evt is WorkflowOutputEvent { Data: List<ChatMessage> messages })
                {
                    text.Append(string.Concat(messages.Select(m => m.Text)));
                    break;
                }

                if (evt is WorkflowOutputEvent { Data: AgentResponseUpdate update })
                {
                    text.Append(update.Text);
                }

                if (evt is WorkflowErrorEvent or ExecutorFailedEvent)
                {
                    errors.Add(evt.ToString()!);
                }
            }
        }

        Assert.Empty(errors);
        Assert.Equal(4, orderModel.Requests.Count); // OrderAgent's MaxSteps, inside the workflow too
        Assert.Equal(ChatToolMode.None, orderModel.Requests[^1].Options!.ToolMode);
        Assert.Contains("Summary: the sum is 4.", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedAgent_WithNoDollarLimit_InsideARunWithOne_MustBePriced()
    {
        var model = new ScriptedChatClient(Answer("hi"));
        var guard = new BudgetChatClient(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 100 } });
        using var run = guard.BeginRun();

        // The outer run's $1 would be charged $0 for a model no price is known for: fail before the first call.
        await Assert.ThrowsAsync<UnknownModelPriceException>(() => new Researcher().RunAsync(model, [new ChatMessage(ChatRole.User, "Go.")], new AgentGuardOptions { ModelId = "acme-7" }));
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task GeneratedAgent_RunFromAnotherAgentsTool_CannotSpendMoreThanItsCallerHasLeft()
    {
        var researcherModel = Persistent("Search", Args(("query", "rows")), "the findings");
        var coordinatorModel = new ScriptedChatClient((turn, request) => request.Options?.ToolMode == ChatToolMode.None
            ? Answer("the coordinator's answer", input: 300, output: 10)
            : Calls(300, 10, ("Research", Args(("question", "what rows?")))));
        var coordinator = new Coordinator(researcherModel);

        var result = await coordinator.RunAsync(coordinatorModel, [new ChatMessage(ChatRole.User, "Go.")], Options);

        // Coordinator: MaxSteps 4. Its first call, then the researcher's calls — only those the coordinator could spare
        // while keeping its own wrap-up — then the coordinator's wrap-up. The researcher's own budget is 20.
        var steps = result.Ledger.GetSteps();
        Assert.Equal(4, result.Ledger.Steps);
        Assert.Equal(new string?[] { null, "Researcher", "Researcher", null }, steps.Select(s => s.Agent));
        Assert.Equal("the coordinator's answer", result.Text);
        Assert.True(steps[^1].IsWrapUp);
        Assert.Equal(AgentRunStatus.StepLimitReached, coordinator.ResearcherResult!.Status);
        Assert.Equal("the findings", coordinator.ResearcherResult.Text);
        Assert.Equal(2, researcherModel.Requests.Count);
        Assert.Equal(2, coordinator.ResearcherResult.Ledger.Steps);
    }
}
