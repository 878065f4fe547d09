using System.Text.Json;
using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Agents;

/// <summary>Generated agents run against a scripted model: every limit, the cache, bad input and the ledger.</summary>
public sealed class GeneratedAgentTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Where is my order?")];

    private static readonly AgentGuardOptions Options = new() { ModelId = "gpt-4o" };

    // The limits as hard stops, without the wrap-up step (WrapUpTests cover it).
    private static readonly AgentGuardOptions NoWrapUp = new() { ModelId = "gpt-4o", WrapUp = WrapUpOptions.Disabled };

    private static string ResultText(AgentRunResult result, int index)
        => result.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ElementAt(index).Result?.ToString() ?? "";

    [Fact]
    public async Task RunAsync_ModelAnswersAfterTools_Completes()
    {
        var model = new ScriptedChatClient(
            Calls(1_000, 20, ("GetOrder", Args(("orderId", "A-1")))),
            Answer("Your order totals 12.5.", input: 1_200, output: 15));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal("Your order totals 12.5.", result.Text);
        Assert.Equal(2, result.Ledger.Steps);
        Assert.Equal(1, result.Ledger.Tools.GetOrder.Calls);
        Assert.Contains("A-1", JsonSerializer.Serialize(result.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result));
    }

    [Fact]
    public async Task RunAsync_EveryRequest_CarriesOutputCapAndTools()
    {
        var model = new ScriptedChatClient(Calls(100, 5, ("Add", Args(("a", 1), ("b", 2)))), Answer("3"));

        await new OrderAgent().RunAsync(model, Question, Options);

        Assert.All(model.Requests, r => Assert.Equal(200, r.Options!.MaxOutputTokens));
        Assert.All(model.Requests, r => Assert.Equal(
            new[] { "GetOrder", "refund", "Flaky", "Add", "Classify", "CountItems", "Ship", "Search", "Wait" },
            r.Options!.Tools!.Select(t => t.Name)));
    }

    [Fact]
    public async Task RunAsync_ModelNeverStops_StopsAtMaxSteps()
    {
        var model = new ScriptedChatClient((turn, _) => Calls(100, 5, ("Add", Args(("a", turn), ("b", 1)))));

        var result = await new OrderAgent().RunAsync(model, Question, NoWrapUp);

        Assert.Equal(AgentRunStatus.StepLimitReached, result.Status);
        Assert.Equal(4, model.Requests.Count);
        Assert.Equal(4, result.Ledger.Steps);
        Assert.Null(result.Text);
        Assert.Contains("MaxSteps", result.StopReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ThroughFunctionInvokingPipeline_LimitsStillHold()
    {
        var inner = new ScriptedChatClient((turn, _) => Calls(100, 5, ("Add", Args(("a", turn), ("b", 1)))));
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var result = await new OrderAgent().RunAsync(client, Question, NoWrapUp);

        Assert.Equal(AgentRunStatus.StepLimitReached, result.Status);
        Assert.Equal(4, inner.Requests.Count);
        Assert.Equal(4, result.Ledger.Steps);
        Assert.Equal(4, result.Ledger.Tools.Add.Calls);
    }

    [Fact]
    public async Task RunAsync_TooManyToolCalls_StopsAtMaxToolCalls()
    {
        var model = new ScriptedChatClient((turn, _) => Calls(100, 5,
            ("Add", Args(("a", 1), ("b", 1))), ("Add", Args(("a", 2), ("b", 2))), ("Add", Args(("a", 3), ("b", 3))), ("Add", Args(("a", 4), ("b", 4)))));

        var result = await new OrderAgent().RunAsync(model, Question, NoWrapUp);

        Assert.Equal(AgentRunStatus.ToolCallLimitReached, result.Status);
        Assert.Equal(6, result.Ledger.ToolCalls);
        Assert.Equal(2, model.Requests.Count);
        Assert.Contains("not run", ResultText(result, 6), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TokenBudget_StopsBeforePassingIt()
    {
        var model = new ScriptedChatClient((turn, _) => Calls(1_500, 100, ("Echo", Args(("text", "x")))));

        var result = await new TokenBoundAgent().RunAsync(model, Question, NoWrapUp);

        // 1,600 tokens a step: three steps use 4,800; a fourth would pass 5,000.
        Assert.Equal(AgentRunStatus.TokenLimitReached, result.Status);
        Assert.Equal(3, result.Ledger.Steps);
        Assert.Equal(4_800, result.Ledger.TotalTokens);
    }

    [Fact]
    public async Task RunAsync_HardLimit_StopsAndEscalates()
    {
        BudgetEscalation? escalation = null;
        var model = new ScriptedChatClient((turn, _) => Calls(100_000, 200, ("Add", Args(("a", turn), ("b", 0)))));
        var options = new AgentGuardOptions
        {
            ModelId = "gpt-4o",
            Budget = new BudgetPolicy { HardLimitUsd = 0.60m, SoftLimitUsd = 0.59m },
            OnHardLimit = (e, _) => { escalation = e; return Task.CompletedTask; },
        };

        var result = await new OrderAgent().RunAsync(model, Question, options);

        // $0.252 a step on gpt-4o: two fit in $0.60, a third would not.
        Assert.Equal(AgentRunStatus.HardLimitReached, result.Status);
        Assert.Equal(2, result.Ledger.Steps);
        Assert.Equal(0.504m, result.Ledger.TotalCostUsd);
        Assert.Equal(BudgetLimit.HardCost, escalation!.Limit);
        Assert.Same(result.Ledger, escalation.Ledger);
    }

    [Fact]
    public async Task RunAsync_PastSoftLimit_UsesFallbackModelAndAlerts()
    {
        var alerts = new List<BudgetAlert>();
        var model = new ScriptedChatClient((turn, request) => turn < 4
            ? Calls(100_000, 100, ("Add", Args(("a", turn), ("b", 0))))
            : Answer("done", model: request.Options!.ModelId));

        var result = await new OrderAgent().RunAsync(model, Question, new AgentGuardOptions { ModelId = "gpt-4o", OnAlert = alerts.Add, WrapUp = WrapUpOptions.Disabled });

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(new[] { "gpt-4o", "gpt-4o", "gpt-4o-mini", "gpt-4o-mini" }, model.Requests.Select(r => r.Options!.ModelId));
        Assert.Single(alerts, a => a.Kind == BudgetAlertKind.SoftLimitReached);
        Assert.Equal("gpt-4o-mini", result.Ledger.GetSteps()[3].ModelId);
    }

    [Fact]
    public async Task RunAsync_CacheableTool_RepeatedCallWithEquivalentArgumentsIsCached()
    {
        var agent = new OrderAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("GetOrder", new Dictionary<string, object?> { ["orderId"] = JsonDocument.Parse("\"A-1\"").RootElement, ["version"] = JsonDocument.Parse("1").RootElement })),
            Calls(100, 5, ("GetOrder", new Dictionary<string, object?> { ["version"] = JsonDocument.Parse("1").RootElement, ["orderId"] = JsonDocument.Parse("\"\\u0041-1\"").RootElement })),
            Calls(100, 5, ("refund", Args(("orderId", "A-1"), ("amount", 5)))),
            Answer("done"));
        model.Requests.Clear();

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(1, agent.LookupRuns);
        Assert.Equal(1, result.Ledger.Tools.GetOrder.CacheHits);
        Assert.Equal(2, result.Ledger.Tools.GetOrder.Calls);
        Assert.Equal(1, result.Ledger.CacheHits);
        Assert.Equal(1, agent.RefundRuns);
    }

    [Fact]
    public async Task RunAsync_CacheableTool_NumberSpelledDifferentlyForStringParameter_RunsAgain()
    {
        // orderId is a string: 1.1 and 1.10 reach the tool as different text, so they must not share a result.
        var agent = new OrderAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("GetOrder", new Dictionary<string, object?> { ["orderId"] = JsonDocument.Parse("1.1").RootElement })),
            Calls(100, 5, ("GetOrder", new Dictionary<string, object?> { ["orderId"] = JsonDocument.Parse("1.10").RootElement })),
            Answer("done"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(2, agent.LookupRuns);
        Assert.Equal(0, result.Ledger.CacheHits);
        Assert.Equal("1.10", ((OrderInfo)result.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ElementAt(1).Result!).Id);
    }

    [Fact]
    public async Task RunAsync_NonCacheableTool_RunsEveryTime()
    {
        var agent = new OrderAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("refund", Args(("orderId", "A-1"), ("amount", 5))), ("refund", Args(("orderId", "A-1"), ("amount", 5)))),
            Answer("done"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(2, agent.RefundRuns);
        Assert.Equal(0, result.Ledger.Tools.Refund.CacheHits);
    }

    [Fact]
    public async Task RunAsync_ToolThrows_ErrorResultAndRetryLimit()
    {
        var agent = new OrderAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("Flaky", null)),
            Calls(100, 5, ("Flaky", null)),
            Calls(100, 5, ("Flaky", null)),
            Answer("gave up"));

        var result = await agent.RunAsync(model, Question, NoWrapUp);

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(2, agent.FlakyRuns); // 1 + MaxRetriesPerTool
        Assert.Contains("TimeoutException: upstream timed out", ResultText(result, 0), StringComparison.Ordinal);
        Assert.Contains("will not be run again", ResultText(result, 2), StringComparison.Ordinal);
        Assert.Equal(2, result.Ledger.Tools.Flaky.Failures);
    }

    [Fact]
    public async Task RunAsync_UnknownTool_ErrorResultForModel()
    {
        var model = new ScriptedChatClient(Calls(100, 5, ("DeleteEverything", Args(("really", true)))), Answer("sorry"));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Contains("no tool named 'DeleteEverything'", ResultText(result, 0), StringComparison.Ordinal);
        Assert.Equal(1, result.Ledger.ToolFailures);
    }

    [Theory]
    [InlineData("""{"orderId":"A-1","amount":"lots"}""", "must be a number")]
    [InlineData("""{"orderId":"A-1"}""", "without its required argument 'amount'")]
    [InlineData("""{"orderId":"A-1","amount":null}""", "without its required argument 'amount'")]
    [InlineData("""{"orderId":["A-1"],"amount":1}""", "must be a string")]
    public async Task RunAsync_BadArguments_ToolNotCalledAndModelTold(string arguments, string expected)
    {
        var agent = new OrderAgent();
        var args = JsonDocument.Parse(arguments).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var model = new ScriptedChatClient(Calls(100, 5, ("refund", args)), Answer("ok"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(0, agent.RefundRuns);
        Assert.Contains(expected, ResultText(result, 0), StringComparison.Ordinal);
        Assert.Equal(1, result.Ledger.Tools.Refund.Failures);
    }

    [Fact]
    public async Task RunAsync_TypedParameters_AreReadFromJson()
    {
        var agent = new OrderAgent();
        var args = JsonDocument.Parse("""
            {"priority":"urgent","when":"2026-11-23T10:00:00+01:00","id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff",
             "window":"01:30:00","urgent":true,"score":0.25,"big":9007199254740993}
            """).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var model = new ScriptedChatClient(
            Calls(100, 5, ("Classify", args), ("CountItems", Args(("items", JsonDocument.Parse("""[{"sku":"a","quantity":2},{"sku":"b","quantity":3}]""").RootElement), ("tags", new[] { "x" })))),
            Answer("ok"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal("Urgent|2026-11-23T10:00:00.0000000+01:00|6f9619ff-8b86-d011-b42d-00cf4fc964ff|01:30:00|True|0.25|9007199254740993|none", Assert.Single(agent.Seen));
        Assert.Equal(6, result.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ElementAt(1).Result);
    }

    [Theory]
    [InlineData("""{"orderId":"A-1","to":{"city":"Oslo","country":"NO"},"rank":2,"notes":["fragile","gift"],"speed":"urgent"}""", "A-1->Oslo,NO|2|fragile+gift|Urgent")]
    [InlineData("""{"OrderId":"A-1","To":{"City":"Oslo","Country":"NO"}}""", "A-1->Oslo,NO|none||Normal")]
    [InlineData("""{"orderId":"A-1","to":{"city":"Oslo","country":"NO"},"rank":null}""", "A-1->Oslo,NO|none||Normal")]
    public async Task RunAsync_RecordArgument_IsReadWithoutReflection(string shipment, string expected)
    {
        var args = new Dictionary<string, object?> { ["shipment"] = JsonDocument.Parse(shipment).RootElement.Clone() };
        var model = new ScriptedChatClient(Calls(100, 5, ("Ship", args)), Answer("ok"));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Equal(expected, ResultText(result, 0));
    }

    [Theory]
    [InlineData("""{"orderId":"A-1"}""")]
    [InlineData("""{"orderId":"A-1","to":{"city":"Oslo"}}""")]
    [InlineData("""{"orderId":"A-1","to":"Oslo"}""")]
    [InlineData("""{"orderId":"A-1","to":{"city":"Oslo","country":"NO"},"notes":"fragile"}""")]
    [InlineData("""[1,2]""")]
    public async Task RunAsync_MalformedRecordArgument_ToolNotCalled(string shipment)
    {
        var args = new Dictionary<string, object?> { ["shipment"] = JsonDocument.Parse(shipment).RootElement.Clone() };
        var model = new ScriptedChatClient(Calls(100, 5, ("Ship", args)), Answer("ok"));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Contains("must be JSON matching the schema of Shipment", ResultText(result, 0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"text":"boots"}""", "boots|5|none")]
    [InlineData("""{"text":"boots","limit":2,"sort":"price"}""", "boots|2|price")]
    public async Task RunAsync_RecordDefaults_AreKeptWhenLeftOut(string query, string expected)
    {
        var args = new Dictionary<string, object?> { ["query"] = JsonDocument.Parse(query).RootElement.Clone() };

        var result = await new OrderAgent().RunAsync(new ScriptedChatClient(Calls(100, 5, ("Search", args)), Answer("ok")), Question, Options);

        Assert.Equal(expected, ResultText(result, 0));
    }

    [Fact]
    public void AgentTools_RecordSchema_RequiresWhatTheReaderRequires()
    {
        var search = (AIFunction)new OrderAgent().AgentTools.Single(t => t.Name == "Search");

        var query = search.JsonSchema.GetProperty("properties").GetProperty("query");
        Assert.Equal("""["text"]""", query.GetProperty("required").GetRawText());
    }

    [Fact]
    public async Task RunAsync_EnumByNumber_IsRefused()
    {
        var agent = new OrderAgent();
        var args = JsonDocument.Parse("""{"priority":2,"when":"2026-11-23T10:00:00Z","id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","window":"00:01:00","urgent":false,"score":1,"big":1}""")
            .RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

        var result = await agent.RunAsync(new ScriptedChatClient(Calls(100, 5, ("Classify", args)), Answer("ok")), Question, Options);

        Assert.Empty(agent.Seen);
        Assert.Contains("one of the listed names", ResultText(result, 0), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("priority", "\"Low,Normal\"", "one of the listed names")]
    [InlineData("priority", "\" 2\"", "one of the listed names")]
    [InlineData("priority", "\"+1\"", "one of the listed names")]
    [InlineData("score", "\"NaN\"", "score")]
    [InlineData("score", "\"Infinity\"", "score")]
    public async Task RunAsync_EnumListOrNumberTextOrNonFiniteNumber_IsRefused(string name, string json, string expected)
    {
        var agent = new OrderAgent();
        var args = JsonDocument.Parse("""{"priority":"Normal","when":"2026-11-23T10:00:00Z","id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","window":"00:01:00","urgent":false,"score":1,"big":1}""")
            .RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        args[name] = JsonDocument.Parse(json).RootElement.Clone();

        var result = await agent.RunAsync(new ScriptedChatClient(Calls(100, 5, ("Classify", args)), Answer("ok")), Question, Options);

        Assert.Empty(agent.Seen);
        Assert.Contains(expected, ResultText(result, 0), StringComparison.Ordinal);
        Assert.Equal(1, result.Ledger.Tools.Classify.Failures);
    }

    [Fact]
    public async Task RunAsync_NoUsageReported_StepIsEstimatedNotFree()
    {
        var model = new ScriptedChatClient(Answer("a fairly long answer with some words in it", input: null, output: null));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        var step = Assert.Single(result.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.True(step.Usage.InputTokens > 0);
        Assert.True(result.Ledger.TotalCostUsd > 0);
    }

    [Fact]
    public async Task RunAsync_ProviderThrows_FailedWithErrorAndTheInputIsCharged()
    {
        var failure = new HttpRequestException("504 Gateway Timeout");
        var model = new ScriptedChatClient((_, _) => throw failure);

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Failed, result.Status);
        Assert.Same(failure, result.Error);
        var step = Assert.Single(result.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.Equal(StepAccounting.EstimateInputTokens(model.Requests[0].Messages, model.Requests[0].Options, CharacterTokenEstimator.Instance), step.Usage.InputTokens);
        Assert.True(result.Ledger.TotalCostUsd > 0);
    }

    [Fact]
    public async Task RunAsync_CancelledDuringTheModelCall_CancelledAndTheInputIsCharged()
    {
        using var cts = new CancellationTokenSource(50);
        var model = new FaultyChatClient();

        var result = await new OrderAgent().RunAsync(model, Question, Options, cts.Token);

        Assert.Equal(AgentRunStatus.Cancelled, result.Status);
        var step = Assert.Single(result.Ledger.GetSteps());
        Assert.True(step.IsEstimated);
        Assert.True(step.Usage.InputTokens > 0);
    }

    [Fact]
    public async Task RunAsync_RequestRefusedAsInvalid_FailedAndNotCharged()
    {
        var model = new ScriptedChatClient((_, _) => throw new ArgumentException("Unsupported content.", "messages"));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Failed, result.Status);
        Assert.IsType<ArgumentException>(result.Error);
        Assert.Equal(0, result.Ledger.Steps);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileToolRuns_Cancelled()
    {
        using var cts = new CancellationTokenSource();
        var model = new ScriptedChatClient((turn, _) =>
        {
            cts.CancelAfter(50);
            return Calls(100, 5, ("Wait", null));
        });

        var result = await new OrderAgent().RunAsync(model, Question, Options, cts.Token);

        Assert.Equal(AgentRunStatus.Cancelled, result.Status);
        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task RunAsync_UsdBudgetAndUnknownModel_FailsBeforeTheFirstCall()
    {
        var model = new ScriptedChatClient(Answer("hi"));

        await Assert.ThrowsAsync<UnknownModelPriceException>(() => new OrderAgent().RunAsync(model, Question, new AgentGuardOptions { ModelId = "acme-7" }));
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task RunAsync_LedgerArithmetic_IsExact()
    {
        var model = new ScriptedChatClient(
            Calls(10_000, 300, ("Add", Args(("a", 1), ("b", 2)))),
            Answer("3", input: 10_400, output: 20, cached: 9_984));

        var result = await new OrderAgent().RunAsync(model, Question, Options);

        // gpt-4o: $2.50/M in, $1.25/M cached, $10/M out.
        var expected = (10_000 * 2.50m + 300 * 10m + 416 * 2.50m + 9_984 * 1.25m + 20 * 10m) / 1_000_000m;
        Assert.Equal(expected, result.Ledger.TotalCostUsd);
        Assert.Equal(20_400, result.Ledger.InputTokens);
        Assert.Equal(9_984, result.Ledger.CachedInputTokens);
        Assert.Equal(9_984 / 20_400.0, result.Ledger.CacheHitRate, 6);
    }

    [Fact]
    public async Task AgentTools_AsAIFunctions_InvokeWithJsonArguments()
    {
        var agent = new OrderAgent();
        var add = (AIFunction)agent.AgentTools.Single(t => t.Name == "Add");

        var sum = await add.InvokeAsync(new AIFunctionArguments { ["a"] = JsonDocument.Parse("40").RootElement, ["b"] = 2 });
        var missing = await add.InvokeAsync(new AIFunctionArguments { ["a"] = 1 });

        Assert.Equal(42, sum);
        Assert.Contains("required argument 'b'", missing?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AgentTools_Schema_IsComputedAtCompileTime()
    {
        var getOrder = (AIFunction)new OrderAgent().AgentTools.Single(t => t.Name == "GetOrder");

        Assert.Equal(
            """{"type":"object","properties":{"orderId":{"description":"The order ID","type":"string"},"version":{"type":"integer"}},"required":["orderId"]}""",
            getOrder.JsonSchema.GetRawText());
        Assert.Equal("Looks up an order.", getOrder.Description);
    }

    [Fact]
    public void AgentBudget_ReflectsTheAttribute()
    {
        Assert.Equal(4, OrderAgent.AgentBudget.MaxSteps);
        Assert.Equal(1.0m, OrderAgent.AgentBudget.HardLimitUsd);
        Assert.Equal("gpt-4o-mini", OrderAgent.AgentBudget.FallbackModelId);
        Assert.StartsWith("$1.00", OrderAgent.AgentWorstCaseCost, StringComparison.Ordinal);
    }
}
