using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Guard;

public sealed class ChatHistoryExtensionsTests
{
    [Fact]
    public void TrimToRecent_KeepsLeadingSystemMessagesAndLastN()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "rules"), new(ChatRole.System, "tools") };
        for (var i = 0; i < 10; i++)
        {
            history.Add(new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, "m" + i));
        }

        var removed = history.TrimToRecent(4);

        Assert.Equal(6, removed);
        Assert.Equal(new[] { "rules", "tools", "m6", "m7", "m8", "m9" }, history.Select(m => m.Text));
    }

    [Fact]
    public void TrimToRecent_NeverStartsWithAnOrphanedToolResult()
    {
        var history = new List<ChatMessage>
        {
            new(ChatRole.System, "rules"),
            new(ChatRole.User, "q"),
            new(ChatRole.Assistant, [new FunctionCallContent("1", "lookup")]),
            new(ChatRole.Tool, [new FunctionResultContent("1", "r")]),
            new(ChatRole.Assistant, "a"),
        };

        history.TrimToRecent(2);

        Assert.Equal(new[] { ChatRole.System, ChatRole.Assistant }, history.Select(m => m.Role));
    }

    [Fact]
    public void TrimToRecent_ShortHistory_IsUntouched()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "s"), new(ChatRole.User, "u") };

        Assert.Equal(0, history.TrimToRecent(5));
        Assert.Equal(2, history.Count);
    }
}
