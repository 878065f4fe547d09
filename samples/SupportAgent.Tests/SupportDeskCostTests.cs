using System.Runtime.CompilerServices;
using AgentGuard;
using AgentGuard.Testing;
using Microsoft.Extensions.AI;
using SupportAgent;

namespace SupportAgent.Tests;

/// <summary>
/// The support desk replays its committed cassette offline and must stay within its committed cost baseline. A change
/// to the prompt, the tools or the loop fails here with the first difference; a change that makes runs dearer fails
/// with the baseline table. Set AGENTGUARD_UPDATE_BASELINE=1 to record the cassette again from the sample's script and
/// rewrite the baseline.
/// </summary>
public sealed class SupportDeskCostTests
{
    private const string Model = "gpt-4o";
    private const string Question = "Where is my order A-1001? It is late, and I'd like 10 dollars back for the delay.";

    [Fact]
    public async Task Replayed_support_run_stays_within_its_cost_baseline()
    {
        var cassettePath = InThisFolder("Cassettes", "support-run.json");
        var update = Environment.GetEnvironmentVariable(CostBaseline.UpdateEnvironmentVariable) == "1";
        Assert.True(update || File.Exists(cassettePath), $"No cassette at {cassettePath}: set {CostBaseline.UpdateEnvironmentVariable}=1 to record it from the sample's script.");
        if (update)
        {
            var recorder = new RecordingChatClient(new SupportAgent.ReplayChatClient(SupportSetup.SupportScript));
            await RunAsync(recorder);
            recorder.Cassette.Save(cassettePath);
        }

        var replay = new AgentGuard.Testing.ReplayChatClient(Cassette.Load(cassettePath));
        var result = await RunAsync(replay);
        replay.VerifyAllServed();

        Assert.Equal("Your order A-1001 is in transit and arrives Thursday. I have refunded 10.00 USD for the delay.", result.Text);
        CostBaseline.AssertWithinBaseline(CostBaseline.Measure([result.Ledger], "support-desk"), InThisFolder("Baselines", "support-desk.json"));
    }

    private static Task<AgentRunResult<SupportDesk.SupportDeskLedger>> RunAsync(IChatClient client)
        => new SupportDesk(new OrderSystem(), new Carrier(), new Payments()).RunAsync(client, [new ChatMessage(ChatRole.User, Question)], SupportSetup.Options(Model));

    private static string InThisFolder(string folder, string file, [CallerFilePath] string source = "")
        => Path.Combine(Path.GetDirectoryName(source)!, folder, file);
}
