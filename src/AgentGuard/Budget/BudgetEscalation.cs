using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// What the escalation hook (<see cref="AgentGuardOptions.OnHardLimit"/>) receives when a limit stops a run: enough
/// to hand the task to a person or resume it later.
/// </summary>
public sealed class BudgetEscalation
{
    internal BudgetEscalation(BudgetLimit limit, string reason, CostLedger ledger, IReadOnlyList<ChatMessage> transcript, string? agentName)
    {
        Limit = limit;
        Reason = reason;
        Ledger = ledger;
        Transcript = transcript;
        AgentName = agentName;
    }

    /// <summary>The limit that stopped the run.</summary>
    public BudgetLimit Limit { get; }

    /// <summary>Why the run stopped.</summary>
    public string Reason { get; }

    /// <summary>What the run cost.</summary>
    public CostLedger Ledger { get; }

    /// <summary>The conversation so far.</summary>
    public IReadOnlyList<ChatMessage> Transcript { get; }

    /// <summary>The agent's name, when known.</summary>
    public string? AgentName { get; }
}
