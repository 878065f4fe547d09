namespace AgentGuard;

/// <summary>
/// The graceful stop: when a limit leaves room for one more step and no other, the run spends it on a wrap-up — a
/// request whose tools stay declared (they are part of the cached prefix) but may not be called
/// (<see cref="Microsoft.Extensions.AI.ChatToolMode.None"/>), with a small output cap and an instruction to answer from
/// what the model has — instead of stopping with no answer. A tool call in the wrap-up's answer is dropped. The budget holds back the price of the wrap-up from the steps before it, so the run
/// never passes its limits for it; when even the wrap-up cannot be paid for, the run stops without one.
/// </summary>
public sealed class WrapUpOptions
{
    /// <summary>The instruction sent by default, after the conversation.</summary>
    public const string DefaultInstruction =
        "The budget for this task is used up: this is the last reply you can give, and no tool can be called any more. "
        + "Answer now with your best result from what you have so far, and say plainly what is unfinished or uncertain.";

    /// <summary>Whether runs wrap up before a limit stops them. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The output cap of the wrap-up request (and what the budget holds back for its output). 300 by default.</summary>
    public int MaxOutputTokens { get; set; } = 300;

    /// <summary>
    /// The instruction appended, as a user message, after the conversation of the wrap-up request (never before it,
    /// so the cached prefix is kept). <see cref="DefaultInstruction"/> unless set; the limit's reason follows it.
    /// </summary>
    public string Instruction { get; set; } = DefaultInstruction;

    /// <summary>Wrap-up turned off: a run that reaches a limit stops without a final answer.</summary>
    public static WrapUpOptions Disabled => new() { Enabled = false };

    internal int? ReservedOutputTokens => Enabled ? MaxOutputTokens : null;
}
