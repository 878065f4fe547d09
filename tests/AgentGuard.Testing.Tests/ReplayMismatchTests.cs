using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace AgentGuard.Testing.Tests;

public sealed class ReplayMismatchTests
{
    private static async Task<Cassette> RecordAsync()
    {
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor());
        await SupportRun.RunAsync(recorder);
        return Cassette.FromJson(recorder.Cassette.ToJson());
    }

    [Fact]
    public async Task An_added_step_fails_with_the_number_of_recorded_interactions()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        await SupportRun.RunAsync(replay);

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => replay.GetResponseAsync([new(ChatRole.User, "One more thing?")], SupportRun.Options()));
        Assert.Equal(2, error.InteractionIndex);
        Assert.Equal("Interaction 2: a step was added: the recording has 2 interactions.", error.Message);
    }

    [Fact]
    public async Task A_mismatch_caught_by_the_code_under_test_is_thrown_again_on_verification()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        await Assert.ThrowsAsync<CassetteMismatchException>(() => replay.GetResponseAsync([new(ChatRole.User, "Something else")], SupportRun.Options()));

        var error = Assert.Throws<CassetteMismatchException>(replay.VerifyAllServed);
        Assert.Equal(replay.FirstMismatch!.Message, error.Message);
        Assert.StartsWith("Interaction 0: the cacheable prefix", error.Message);
    }

    [Fact]
    public async Task A_changed_user_message_names_the_interaction_message_and_first_difference()
    {
        var replay = new ReplayChatClient(await RecordAsync());

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => SupportRun.RunAsync(replay, orderId: "43"));
        Assert.Equal(0, error.InteractionIndex);
        Assert.Equal("Interaction 0, message 1 (user): first difference at character 16: recorded \"Where is order 42?\", now \"Where is order 43?\".", error.Message);
    }

    [Fact]
    public async Task A_timestamp_at_the_head_of_the_system_prompt_fails_the_prefix_check()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        var prompt = $"Now: {new DateTime(2026, 12, 6, 19, 7, 0):O}. {SupportRun.SystemPrompt}";

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => SupportRun.RunAsync(replay, systemPrompt: prompt));
        Assert.StartsWith("Interaction 0: the cacheable prefix (instructions, system messages and tool declarations) changed: first difference at character 8: recorded \"system: You are the support", error.Message);
        Assert.Contains("now \"system: Now: 2026-12-06T19:07:00", error.Message);
        Assert.Contains("prompt cache would miss", error.Message);
    }

    [Fact]
    public async Task Changed_instructions_fail_the_prefix_check()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        var options = SupportRun.Options();
        options.Instructions = "Be brief.";

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => SupportRun.RunAsync(replay, options: options));
        Assert.Contains("cacheable prefix", error.Message);
        Assert.Contains("now \"instructions: Be brief.", error.Message);
    }

    [Fact]
    public async Task A_changed_tool_schema_names_the_tool()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        var changed = AIFunctionFactory.Create(
            ([Description("The order number.")] string orderId, [Description("The customer's email.")] string email) => "{}",
            "lookup_order",
            "Finds an order by its number.");

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => SupportRun.RunAsync(replay, options: SupportRun.Options(changed)));
        Assert.StartsWith("Interaction 0: tool 'lookup_order' schema changed: first difference at character ", error.Message);
        Assert.Contains("email", error.Message);
        Assert.Contains("prompt cache would miss", error.Message);
    }

    [Fact]
    public async Task A_changed_output_cap_is_reported()
    {
        var replay = new ReplayChatClient(await RecordAsync());
        var options = SupportRun.Options();
        options.MaxOutputTokens = 4000;

        var error = await Assert.ThrowsAsync<CassetteMismatchException>(() => SupportRun.RunAsync(replay, options: options));
        Assert.Equal("Interaction 0: the output cap changed from 500 to 4000.", error.Message);
    }

    [Fact]
    public async Task Function_arguments_match_in_canonical_form_whatever_their_member_order()
    {
        var cassette = new Cassette();
        var recorder = new RecordingChatClient(new EchoModel(), cassette);
        ChatMessage Call(string json) => new(ChatRole.Assistant, [new FunctionCallContent("c", "f", System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json))]);
        await recorder.GetResponseAsync([Call("{\"a\":1,\"b\":{\"y\":2,\"x\":[1,2]}}")]);

        var replay = new ReplayChatClient(Cassette.FromJson(cassette.ToJson()));
        var response = await replay.GetResponseAsync([Call("{\"b\":{\"x\":[1,2],\"y\":2},\"a\":1}")]);
        Assert.Equal("ok", response.Text);
    }

    private sealed class EchoModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
