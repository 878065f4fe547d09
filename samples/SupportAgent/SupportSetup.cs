using System.Collections.Generic;
using AgentGuard;
using Microsoft.Extensions.AI;

namespace SupportAgent;

/// <summary>The support desk's options and the recorded conversations the sample replays offline.</summary>
public static class SupportSetup
{
    /// <summary>The options every run of the desk uses: the model and the system prompt.</summary>
    public static AgentGuardOptions Options(string model) => new()
    {
        ModelId = model,
        SystemPrompt = "You are the support desk of a small web shop. Use the tools to look orders up, track parcels and issue refunds. Be brief.",
    };

    /// <summary>A customer asks where an order is and for a refund: two lookups, a refund, an answer.</summary>
    public static ChatResponse SupportScript(int turn, ChatOptions? request) => turn switch
    {
        1 => ReplayChatClient.ToolCalls(1_850, 0, 48,
            new FunctionCallContent("c1", "GetOrder", new Dictionary<string, object?> { ["orderId"] = "A-1001" }),
            new FunctionCallContent("c2", "track_parcel", new Dictionary<string, object?> { ["orderId"] = "A-1001" })),
        2 => ReplayChatClient.ToolCalls(2_300, 1_792, 40,
            new FunctionCallContent("c3", "track_parcel", new Dictionary<string, object?> { ["orderId"] = "A-1001" }),
            new FunctionCallContent("c4", "GetOrder", new Dictionary<string, object?> { ["orderId"] = "A-1001" })),
        3 => ReplayChatClient.ToolCalls(6_400, 2_176, 64,
            new FunctionCallContent("c5", "IssueRefund", new Dictionary<string, object?>
            {
                ["request"] = new Dictionary<string, object?> { ["orderId"] = "A-1001", ["amount"] = 10.00m, ["reason"] = "late delivery" },
            })),
        _ => ReplayChatClient.Answer(6_550, 6_272, 72, "Your order A-1001 is in transit and arrives Thursday. I have refunded 10.00 USD for the delay."),
    };

    /// <summary>
    /// A model that asks for another lookup on every request it may use tools in. On the wrap-up (tool calls off) it
    /// can only answer, and does with what it has.
    /// </summary>
    public static ChatResponse RunawayScript(int turn, ChatOptions? request)
        => request?.ToolMode == ChatToolMode.None
            ? ReplayChatClient.Answer(4_000 + (turn * 2_500), 0, 60, "I found order A-1001 in transit but could not finish checking the others; a colleague will follow up.")
            : ReplayChatClient.ToolCalls(4_000 + (turn * 2_500), 0, 200,
                new FunctionCallContent("r" + turn, "GetOrder", new Dictionary<string, object?> { ["orderId"] = "A-100" + (turn % 3) }));
}
