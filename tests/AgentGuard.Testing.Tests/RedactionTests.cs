using Microsoft.Extensions.AI;

namespace AgentGuard.Testing.Tests;

public sealed class RedactionTests
{
    [Fact]
    public async Task A_configured_secret_and_key_shaped_values_are_redacted_on_save()
    {
        var cassette = new Cassette();
        cassette.Secrets.Add("hunter2-tenant-password");
        var recorder = new RecordingChatClient(SupportRun.ScriptedModelFor(), cassette);
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "Use key sk-proj-AbCdEf0123456789xyz and header Bearer eyJhbGciOi.payload.sig to call the shop."),
            new(ChatRole.User, "My password is hunter2-tenant-password"),
        ];
        await recorder.GetResponseAsync(messages, SupportRun.Options());

        var json = cassette.ToJson();
        Assert.DoesNotContain("hunter2-tenant-password", json);
        Assert.DoesNotContain("sk-proj-AbCdEf0123456789xyz", json);
        Assert.DoesNotContain("eyJhbGciOi", json);
        var saved = Cassette.FromJson(json).Interactions[0].Request.Messages;
        Assert.Equal("Use key [redacted] and header [redacted] to call the shop.", saved[0].Contents[0].Text);
        Assert.Equal("My password is [redacted]", saved[1].Contents[0].Text);

        var replay = new ReplayChatClient(Cassette.FromJson(json), ["hunter2-tenant-password"]);
        var response = await replay.GetResponseAsync(messages, SupportRun.Options());
        Assert.Equal("lookup_order", response.Messages[0].Contents.OfType<FunctionCallContent>().Single().Name);
    }
}
