using System;

namespace AgentGuard.Agents;

/// <summary>
/// How a guarded agent run ended and what it cost: attached to the <c>AgentResponse</c> of every run of a
/// <see cref="GuardedAIAgent"/> or of a generated agent used as an <c>AIAgent</c> (read it with
/// <see cref="AgentGuardResponseExtensions.GetAgentGuardReport(Microsoft.Agents.AI.AgentResponse)"/>).
/// </summary>
public sealed class AgentGuardReport
{
    /// <summary>Creates a report.</summary>
    public AgentGuardReport(AgentRunStatus status, string? stopReason, CostLedger ledger, bool wrappedUp, bool isNested)
    {
        Status = status;
        StopReason = stopReason;
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        WrappedUp = wrappedUp;
        IsNested = isNested;
    }

    /// <summary>How the run ended: <see cref="AgentRunStatus.Completed"/>, or the limit that stopped it.</summary>
    public AgentRunStatus Status { get; }

    /// <summary>Why a limit stopped the run, if one did.</summary>
    public string? StopReason { get; }

    /// <summary>What the run cost, step by step; the steps of agents it called are in it too, under their names (<see cref="StepRecord.Agent"/>).</summary>
    public CostLedger Ledger { get; }

    /// <summary>Whether the answer is the wrap-up the run made before a limit stopped it (see <see cref="AgentGuardOptions.WrapUp"/>).</summary>
    public bool WrappedUp { get; }

    /// <summary>Whether the run was made inside another run (an agent called as a tool) and drew from its budget.</summary>
    public bool IsNested { get; }

    /// <summary>Whether the run ended without a limit stopping it.</summary>
    public bool IsCompleted => Status == AgentRunStatus.Completed;

    /// <inheritdoc/>
    public override string ToString() => $"{Status}{(WrappedUp ? " (wrapped up)" : string.Empty)}: {Ledger}";
}
