using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Agents;

/// <summary>An agent whose tools take every narrow number type and a character, and a cacheable tool that returns nothing.</summary>
[Budget(MaxSteps = 4, MaxOutputTokensPerStep = 100)]
public sealed partial class PrimitiveAgent
{
    public List<string> Calls { get; } = new();

    // Counting calls is how the tests see the cache; it is the only state the tool touches.
#pragma warning disable AG0004
    [AgentTool("Warms a key.", Cacheable = true)]
#pragma warning restore AG0004
    public void Touch(string key) => Calls.Add("touch " + key);

    [AgentTool("Shifts values.")]
    public string Shift(byte small, sbyte signed, short half, ushort port, uint count, ulong big, char letter, char? mark = null)
    {
        var text = $"{small} {signed} {half} {port} {count} {big} {letter} {mark}";
        Calls.Add(text);
        return text;
    }
}

public sealed class PrimitiveToolTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Go")];

    private static readonly AgentGuardOptions Options = new() { ModelId = "gpt-4o" };

    private static string ResultText(AgentRunResult result, int index)
        => result.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ElementAt(index).Result?.ToString() ?? "";

    [Fact]
    public async Task CacheableVoidTool_CalledTwice_RunsOnceAndCompletes()
    {
        var agent = new PrimitiveAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("Touch", Args(("key", "a")))),
            Calls(100, 5, ("Touch", Args(("key", "a")))),
            Answer("done"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(["touch a"], agent.Calls);
        Assert.Equal(1, result.Ledger.Tools.Touch.CacheHits);
    }

    [Fact]
    public async Task NarrowNumbers_AtTheirLimits_ReachTheTool()
    {
        var agent = new PrimitiveAgent();
        var model = new ScriptedChatClient(
            Calls(100, 5, ("Shift", Args(("small", 255), ("signed", -128), ("half", -32768), ("port", 65535), ("count", 4294967295L), ("big", 18446744073709551615UL), ("letter", "é")))),
            Answer("done"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        Assert.Equal(["255 -128 -32768 65535 4294967295 18446744073709551615 é "], agent.Calls);
    }

    [Theory]
    [InlineData("small", 256)]
    [InlineData("small", -1)]
    [InlineData("signed", 128)]
    [InlineData("port", 70000)]
    [InlineData("count", -5)]
    [InlineData("small", 1.5)]
    [InlineData("letter", "ab")]
    [InlineData("letter", "")]
    public async Task NarrowNumbers_OutOfRange_AreErrorsForTheModelAndTheToolIsNotCalled(string name, object value)
    {
        var arguments = Args(("small", 1), ("signed", 1), ("half", 1), ("port", 1), ("count", 1), ("big", 1), ("letter", "x"));
        arguments[name] = value;
        var agent = new PrimitiveAgent();
        var model = new ScriptedChatClient(Calls(100, 5, ("Shift", arguments)), Answer("done"));

        var result = await agent.RunAsync(model, Question, Options);

        Assert.Empty(agent.Calls);
        Assert.Contains(name, ResultText(result, 0), StringComparison.Ordinal);
        Assert.Equal(1, result.Ledger.Tools.Shift.Failures);
    }
}
