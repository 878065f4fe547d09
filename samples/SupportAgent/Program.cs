using System;
using System.ClientModel;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using AgentGuard;
using Microsoft.Extensions.AI;
using OpenAI;
using SupportAgent;

// AgentGuard sample: a support agent whose [Budget] is its loop.
//
// With no endpoint configured it replays a recorded conversation (no key, no network). To talk to a real model,
// set AGENTGUARD_ENDPOINT (an OpenAI-compatible base URL), AGENTGUARD_API_KEY and optionally AGENTGUARD_MODEL.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var endpoint = Environment.GetEnvironmentVariable("AGENTGUARD_ENDPOINT");
var apiKey = Environment.GetEnvironmentVariable("AGENTGUARD_API_KEY");
var model = Environment.GetEnvironmentVariable("AGENTGUARD_MODEL") ?? "gpt-4o";
var live = !string.IsNullOrWhiteSpace(endpoint) && !string.IsNullOrWhiteSpace(apiKey);

var options = SupportSetup.Options(model);
options.OnAlert = alert => Console.WriteLine($"  ! budget alert: {alert.Message}");
options.OnHardLimit = (escalation, _) =>
{
    Console.WriteLine($"  ! handed to a person: {escalation.Reason}");
    return Task.CompletedTask;
};

Console.WriteLine(live ? $"AgentGuard support agent — live, {model} at {endpoint}" : "AgentGuard support agent — replaying a recorded conversation (set AGENTGUARD_ENDPOINT and AGENTGUARD_API_KEY for a live model)");
Console.WriteLine($"Budget: {SupportDesk.AgentBudget}");
Console.WriteLine($"Worst case per run: {SupportDesk.AgentWorstCaseCost}");

var orders = new OrderSystem();
var payments = new Payments();
var desk = new SupportDesk(orders, new Carrier(), payments);
var question = "Where is my order A-1001? It is late, and I'd like 10 dollars back for the delay.";
IChatClient client = live
    ? new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(apiKey!), new OpenAIClientOptions { Endpoint = new Uri(endpoint!) }).AsIChatClient()
    : new ReplayChatClient(SupportSetup.SupportScript);

Console.WriteLine();
Console.WriteLine("Run 1 — a customer question");
var result = await desk.RunAsync(client, [new ChatMessage(ChatRole.User, question)], options);
Print(result);
Console.WriteLine($"  order database queried {orders.Queries} time(s) for {result.Ledger.Tools.GetOrder.Calls} GetOrder call(s) and 1 refund; refunds issued: {string.Join(", ", payments.Refunds)}");

if (!live)
{
    Console.WriteLine();
    Console.WriteLine("Run 2 — a model that never stops calling tools");
    var runaway = await new SupportDesk(new OrderSystem(), new Carrier(), new Payments()).RunAsync(new ReplayChatClient(SupportSetup.RunawayScript), [new ChatMessage(ChatRole.User, question)], options);
    Print(runaway);
}

return 0;

static void Print(AgentRunResult<SupportDesk.SupportDeskLedger> result)
{
    var ledger = result.Ledger;
    var calls = ledger.GetToolCalls();
    var callIndex = 0;
    foreach (var step in ledger.GetSteps())
    {
        var usage = step.Usage;
        Console.WriteLine($"  step {step.Index} {step.ModelId,-12} in {usage.InputTokens,6} (cached {usage.CachedInputTokens,5}, cache write {usage.CacheWriteTokens}) out {usage.OutputTokens,4} (reasoning {usage.ReasoningTokens}) tool results {usage.ToolResultTokens,4}  ${step.CostUsd:0.000000}{(step.IsEstimated ? "  (estimated)" : string.Empty)}{(step.IsWrapUp ? "  wrap-up" : string.Empty)}");
        var toolMessages = result.Messages.Where(m => m.Role == ChatRole.Assistant).Skip(step.Index - 1).Take(1).SelectMany(m => m.Contents.OfType<FunctionCallContent>());
        foreach (var _ in toolMessages)
        {
            if (callIndex < calls.Count)
            {
                Console.WriteLine($"      tool {calls[callIndex]}");
                callIndex++;
            }
        }
    }

    while (callIndex < calls.Count)
    {
        Console.WriteLine($"      tool {calls[callIndex++]}");
    }

    Console.WriteLine($"  ended: {result.Status}{(result.StopReason is null ? string.Empty : " — " + result.StopReason)}");
    if (result.Text is not null)
    {
        Console.WriteLine($"  answer: {result.Text}");
    }

    Console.WriteLine($"  total: {ledger.Steps} steps, {ledger.ToolCalls} tool calls ({ledger.CacheHits} cache hits, {ledger.ToolFailures} failures), {ledger.InputTokens} in / {ledger.OutputTokens} out, cache hit rate {ledger.CacheHitRate * 100:0}%, ${ledger.TotalCostUsd:0.000000}");
    Console.WriteLine($"  per tool: {ledger.Tools.GetOrder}; {ledger.Tools.TrackParcel}; {ledger.Tools.IssueRefund}");
}
