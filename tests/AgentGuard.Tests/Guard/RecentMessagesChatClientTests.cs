using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Guard;

public sealed class RecentMessagesChatClientTests
{
    private static readonly ChatOptions Capped = new() { MaxOutputTokens = 100 };

    private static ChatResponse Answer(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    [Fact]
    public async Task LongConversation_SendsSystemAndRecentWindowFromAUserMessage_LeavesCallerListAlone()
    {
        var model = new ScriptedChatClient((_, _) => Answer("ok"));
        var client = model.AsBuilder().UseRecentMessages(4).Build();
        var history = new List<ChatMessage> { new(ChatRole.System, "rules") };
        for (var i = 0; i < 10; i++)
        {
            history.Add(new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, "m" + i));
        }

        await client.GetResponseAsync(history, Capped);

        // m6 (user) opens the last-4 window.
        Assert.Equal(new[] { "rules", "m6", "m7", "m8", "m9" }, model.Requests[0].Messages.Select(m => m.Text));
        Assert.Equal(11, history.Count);
    }

    [Fact]
    public async Task WindowStartingAtAnAssistantMessage_OpensAtTheNextUserMessage()
    {
        var model = new ScriptedChatClient((_, _) => Answer("ok"));
        var client = new RecentMessagesChatClient(model, 3);
        var history = new List<ChatMessage>
        {
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, "a1"),
            new(ChatRole.Assistant, "a1b"),
            new(ChatRole.User, "q2"),
            new(ChatRole.Assistant, [new FunctionCallContent("1", "lookup")]),
            new(ChatRole.Tool, [new FunctionResultContent("1", "r")]),
        };

        await client.GetResponseAsync(history, Capped);

        Assert.Equal(new[] { ChatRole.User, ChatRole.Assistant, ChatRole.Tool }, model.Requests[0].Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task WindowWithoutAUserMessage_NeverOpensOnAToolResult()
    {
        var model = new ScriptedChatClient((_, _) => Answer("ok"));
        var client = new RecentMessagesChatClient(model, 2);
        var history = new List<ChatMessage>
        {
            new(ChatRole.User, "q"),
            new(ChatRole.Assistant, [new FunctionCallContent("1", "lookup")]),
            new(ChatRole.Tool, [new FunctionResultContent("1", "r")]),
            new(ChatRole.Assistant, "a"),
        };

        await client.GetResponseAsync(history, Capped);

        Assert.Equal(new[] { ChatRole.Assistant }, model.Requests[0].Messages.Select(m => m.Role));
        Assert.Equal("a", model.Requests[0].Messages[0].Text);
    }

    [Fact]
    public async Task ShortConversation_IsSentAsIs()
    {
        var model = new ScriptedChatClient((_, _) => Answer("ok"));
        var client = new RecentMessagesChatClient(model, 8);
        var history = new List<ChatMessage> { new(ChatRole.System, "rules"), new(ChatRole.User, "hi") };

        await client.GetResponseAsync(history, Capped);

        Assert.Equal(new[] { "rules", "hi" }, model.Requests[0].Messages.Select(m => m.Text));
    }

    [Fact]
    public void ZeroOrNegativeWindow_IsRejected()
    {
        var model = new ScriptedChatClient((_, _) => Answer("ok"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecentMessagesChatClient(model, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.AsBuilder().UseRecentMessages(-1));
    }
}
