using System;
using System.ClientModel;
using System.Globalization;
using System.Threading.Tasks;
using AgentFrameworkAgent;
using AgentGuard;
using AgentGuard.Agents;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenAI;

// AgentGuard sample: a Microsoft Agent Framework agent and a generated agent under one guard.
//
// The planner is a ChatClientAgent; its tool is the generated FlightDesk agent, exposed with AsAIAgent().AsAIFunction().
// Both run on one guarded client: the desk's steps draw from the planner's budget and show in the planner's ledger
// under the desk's name. A run that reaches a limit ends with a wrap-up answer instead of none.
//
// With no endpoint configured it uses a scripted model (no key, no network). To talk to a real model, set
// AGENTGUARD_ENDPOINT (an OpenAI-compatible base URL), AGENTGUARD_API_KEY and optionally AGENTGUARD_MODEL.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var endpoint = Environment.GetEnvironmentVariable("AGENTGUARD_ENDPOINT");
var apiKey = Environment.GetEnvironmentVariable("AGENTGUARD_API_KEY");
var modelId = Environment.GetEnvironmentVariable("AGENTGUARD_MODEL") ?? "gpt-4o";
var live = !string.IsNullOrWhiteSpace(endpoint) && !string.IsNullOrWhiteSpace(apiKey);

Console.WriteLine(live ? $"AgentGuard + Agent Framework — live, {modelId} at {endpoint}" : "AgentGuard + Agent Framework — scripted model (set AGENTGUARD_ENDPOINT and AGENTGUARD_API_KEY for a live model)");

IChatClient Model(bool runaway) => live
    ? new OpenAI.Chat.ChatClient(modelId, new ApiKeyCredential(apiKey!), new OpenAIClientOptions { Endpoint = new Uri(endpoint!) }).AsIChatClient()
    : new ScriptedModel(runaway);

Console.WriteLine();
Console.WriteLine("Run 1 — the planner asks the flight desk, then answers");
await RunAsync(Model(runaway: false));

if (!live)
{
    Console.WriteLine();
    Console.WriteLine("Run 2 — a model that never stops calling tools: the planner wraps up at its limit");
    await RunAsync(Model(runaway: true));
}

return 0;

async Task RunAsync(IChatClient model)
{
    // One guard, inside the planner's tool loop (ChatClientAgent adds its FunctionInvokingChatClient around it).
    var guarded = model.AsBuilder()
        .UseAgentGuard(o =>
        {
            o.ModelId = modelId;
            o.AgentName = "planner";
            o.Budget = new BudgetPolicy { MaxSteps = 6, MaxOutputTokensPerStep = 400, HardLimitUsd = 0.05m };
            o.OnAlert = alert => Console.WriteLine($"  ! budget alert: {alert.Message}");
        })
        .Build();

    // The generated agent, as a framework agent over the same guarded client: its own [Budget] still holds, and it
    // can never spend more than the planner has left.
    var flightDesk = new FlightDesk().AsAIAgent(guarded, new AgentGuardOptions { ModelId = modelId }, "Finds direct flights and their fares.");

    var planner = new ChatClientAgent(guarded, new ChatClientAgentOptions
        {
            Name = "planner",
            ChatOptions = new ChatOptions
            {
                Instructions = "You plan trips. Ask the flight desk for flights, then recommend one. Be brief.",
                Tools = [flightDesk.AsAIFunction()],
                MaxOutputTokens = 400,
            },
        })
        .AsBuilder()
        .UseAgentGuard(a => a.SessionBudget = new BudgetPolicy { HardLimitUsd = 0.20m })
        .Build();

    var session = await planner.CreateSessionAsync();
    var response = await planner.RunAsync("Find me the cheapest direct flight from Lisbon to Berlin on 14 March 2027.", session);
    var report = response.GetAgentGuardReport()!;

    Console.WriteLine($"  answer: {response.Text}");
    Console.WriteLine($"  status: {report.Status}{(report.WrappedUp ? " (wrap-up answer)" : string.Empty)}{(report.StopReason is null ? string.Empty : " — " + report.StopReason)}");
    foreach (var step in report.Ledger.GetSteps())
    {
        var usage = step.Usage;
        Console.WriteLine($"  step {step.Index} {step.Agent ?? "planner",-10} {step.ModelId,-8} in {usage.InputTokens,5} out {usage.OutputTokens,4}  ${step.CostUsd:0.000000}{(step.IsWrapUp ? "  wrap-up" : string.Empty)}");
    }

    Console.WriteLine($"  total: {report.Ledger.Steps} model calls, {report.Ledger.TotalTokens} tokens, ${report.Ledger.TotalCostUsd:0.000000}");
}
