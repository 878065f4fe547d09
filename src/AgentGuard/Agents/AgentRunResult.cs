using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>The outcome of an agent run: how it ended, the final answer, the whole transcript and what it cost.</summary>
public class AgentRunResult
{
    /// <summary>Creates a result.</summary>
    public AgentRunResult(AgentRunStatus status, string? text, IReadOnlyList<ChatMessage> messages, CostLedger ledger, string? stopReason = null, Exception? error = null)
    {
        Status = status;
        Text = text;
        Messages = messages ?? throw new ArgumentNullException(nameof(messages));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        StopReason = stopReason;
        Error = error;
    }

    /// <summary>How the run ended.</summary>
    public AgentRunStatus Status { get; }

    /// <summary>The model's final answer, or <see langword="null"/> when the run stopped before one.</summary>
    public string? Text { get; }

    /// <summary>The whole transcript — sent, received, tool calls and results — for post-mortems and resuming.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>What the run cost, step by step.</summary>
    public CostLedger Ledger { get; }

    /// <summary>Why the run stopped, when a limit or an error stopped it.</summary>
    public string? StopReason { get; }

    /// <summary>The provider's exception, when <see cref="Status"/> is <see cref="AgentRunStatus.Failed"/>.</summary>
    public Exception? Error { get; }

    /// <summary>Whether the run completed with an answer.</summary>
    public bool IsCompleted => Status == AgentRunStatus.Completed;

    /// <inheritdoc/>
    public override string ToString() => $"{Status}: {Ledger}";
}

/// <summary>The outcome of a generated agent's run, with its typed ledger.</summary>
/// <typeparam name="TLedger">The agent's ledger, with a counter set per tool.</typeparam>
public sealed class AgentRunResult<TLedger> : AgentRunResult
    where TLedger : CostLedger
{
    /// <summary>Creates a typed result from a runner's result.</summary>
    public AgentRunResult(AgentRunResult result, TLedger ledger)
        : base(
            (result ?? throw new ArgumentNullException(nameof(result))).Status,
            result.Text,
            result.Messages,
            ledger,
            result.StopReason,
            result.Error)
    {
        Ledger = ledger;
    }

    /// <summary>What the run cost, with the agent's typed counters per tool.</summary>
    public new TLedger Ledger { get; }
}
