using Microsoft.Extensions.AI;

namespace AgentGuard.Testing.Tests;

public sealed class CassetteReplayTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "agentguard-testing-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Record_save_load_replay_round_trip_gives_the_same_responses_and_usage()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor());
        var recorded = await SupportRun.RunAsync(recorder);
        var path = Path.Combine(folder, "support.json");
        recorder.Cassette.Save(path);

        var replay = new ReplayChatClient(Cassette.Load(path));
        var replayed = await SupportRun.RunAsync(replay);

        Assert.True(replay.IsComplete);
        Assert.Equal(recorded.Count, replayed.Count);
        for (var i = 0; i < recorded.Count; i++)
        {
            Assert.Equal(recorded[i].Text, replayed[i].Text);
            Assert.Equal(recorded[i].ModelId, replayed[i].ModelId);
            Assert.Equal(recorded[i].FinishReason, replayed[i].FinishReason);
            Assert.Equal(TokenUsage.FromUsageDetails(recorded[i].Usage), TokenUsage.FromUsageDetails(replayed[i].Usage));
            Assert.Equal(recorded[i].Usage!.AdditionalCounts?.ToDictionary(), replayed[i].Usage!.AdditionalCounts?.ToDictionary());
        }

        var call = Assert.IsType<FunctionCallContent>(replayed[0].Messages.Single().Contents.Single());
        Assert.Equal("lookup_order", call.Name);
        Assert.Equal("42", call.Arguments!["orderId"]!.ToString());
    }

    [Fact]
    public async Task Saved_cassette_records_options_tools_and_usage_in_a_stable_layout()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor());
        await SupportRun.RunAsync(recorder);

        var json = recorder.Cassette.ToJson();
        Assert.Equal(json, Cassette.FromJson(json).ToJson());
        var request = recorder.Cassette.Interactions[1].Request;
        Assert.Equal("model-a", request.ModelId);
        Assert.Equal(500, request.MaxOutputTokens);
        Assert.Equal("auto", request.ToolMode);
        Assert.Equal("lookup_order", request.Tools.Single().Name);
        Assert.Contains("\"orderId\"", request.Tools.Single().Schema);
        Assert.Equal(["system", "user", "assistant", "tool"], request.Messages.Select(message => message.Role));
        Assert.Equal("{\"orderId\":\"42\"}", request.Messages[2].Contents.Single().Arguments);
        var usage = recorder.Cassette.Interactions[1].Response.Usage!;
        Assert.Equal(900, usage.CachedInputTokenCount);
        Assert.Equal(10, usage.ReasoningTokenCount);
        Assert.Equal(50, usage.AdditionalCounts!["CacheCreationInputTokens"]);
        Assert.True(json.IndexOf("\"request\"", StringComparison.Ordinal) < json.IndexOf("\"response\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streaming_replay_yields_the_recorded_response_with_its_usage()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor());
        var recorded = await SupportRun.RunAsync(recorder, streaming: true);

        var replay = new ReplayChatClient(Cassette.FromJson(recorder.Cassette.ToJson()));
        var updates = new List<ChatResponseUpdate>();
        List<ChatMessage> messages = [new(ChatRole.System, SupportRun.SystemPrompt), new(ChatRole.User, "Where is order 42?")];
        await foreach (var update in replay.GetStreamingResponseAsync(messages, SupportRun.Options()))
        {
            updates.Add(update);
        }

        var usage = Assert.Single(updates.SelectMany(update => update.Contents).OfType<UsageContent>());
        Assert.Equal(1042, usage.Details.InputTokenCount);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
        Assert.Equal(recorded[0].Usage!.OutputTokenCount, updates.ToChatResponse().Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task A_run_with_fewer_steps_than_recorded_is_reported()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor());
        await SupportRun.RunAsync(recorder);
        var replay = new ReplayChatClient(recorder.Cassette);
        await replay.GetResponseAsync([new(ChatRole.System, SupportRun.SystemPrompt), new(ChatRole.User, "Where is order 42?")], SupportRun.Options());

        var error = Assert.Throws<CassetteMismatchException>(replay.VerifyAllServed);
        Assert.Equal("A step is missing: the run made 1 model calls, the recording has 2 interactions.", error.Message);
    }

    [Fact]
    public async Task Replaying_tasks_in_parallel_with_separate_clients_is_deterministic()
    {
        var orders = Enumerable.Range(10, 8).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var cassettes = new List<Cassette>();
        foreach (var order in orders)
        {
            var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor(order));
            await SupportRun.RunAsync(recorder, order);
            cassettes.Add(Cassette.FromJson(recorder.Cassette.ToJson()));
        }

        async Task<string> ReplayAllAsync()
        {
            var ledgers = await Task.WhenAll(orders.Select((order, i) => Task.Run(async () =>
            {
                var ledger = new CostLedger();
                var guard = new BudgetChatClient(new ReplayChatClient(cassettes[i]), new AgentGuardOptions { Prices = SupportRun.Prices, Ledger = ledger });
                await SupportRun.RunAsync(guard, order);
                return ledger;
            })));
            return CostBaseline.Measure(ledgers, "support").ToString() + string.Join(";", ledgers.Select(ledger => ledger.ToString()));
        }

        var first = await ReplayAllAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, await ReplayAllAsync());
        }

        Assert.Contains("8 tasks", first);
    }
}
