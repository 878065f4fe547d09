using System;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>
/// How AgentGuard runs an agent: the model, prices, budget overrides, callbacks, tool cache and telemetry. One
/// type for both paths — the generated <c>RunAsync</c> of a <c>[Budget]</c> agent and the
/// <see cref="BudgetChatClient"/> guard (<c>UseAgentGuard</c>) of a hand-written one — so prices, callbacks and
/// telemetry are configured once.
/// </summary>
public class AgentGuardOptions
{
    private PriceTable? prices;

    /// <summary>The model to request when a request names none.</summary>
    public string? ModelId { get; set; }

    /// <summary>Prices used to cost every step; <see cref="PriceTable.Default"/> unless set.</summary>
    public PriceTable Prices
    {
        get => prices ??= PriceTable.Default;
        set => prices = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// The limits. For a generated agent, limits set here replace the ones of its <c>[Budget]</c> attribute; for
    /// the guard client, they are the budget.
    /// </summary>
    public BudgetPolicy? Budget { get; set; }

    /// <summary>A system prompt the generated loop puts first when the messages start with none.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>The agent's name, for telemetry (<c>gen_ai.agent.name</c>) and alerts.</summary>
    public string? AgentName { get; set; }

    /// <summary>Called for every budget alert: 50/80/100% of the hard limit, the soft limit, a tripped limit.</summary>
    public Action<BudgetAlert>? OnAlert { get; set; }

    /// <summary>
    /// Called once when a limit stops a run, with the limit, the ledger and the transcript: the place to hand the
    /// task to a person.
    /// </summary>
    public Func<BudgetEscalation, CancellationToken, Task>? OnHardLimit { get; set; }

    /// <summary>
    /// A tool-result cache shared across runs (create it with a partition per tenant or user). When not set, each
    /// run gets its own cache, so one user's results never answer another's.
    /// </summary>
    public ToolResultCache? ToolCache { get; set; }

    /// <summary>How steps without reported usage are estimated.</summary>
    public ITokenEstimator TokenEstimator { get; set; } = CharacterTokenEstimator.Instance;

    /// <summary>
    /// For <see cref="BudgetChatClient"/>: the ledger its default run (requests outside <c>BeginRun</c>) records
    /// into. Generated agents record each run into a new, typed ledger and ignore this.
    /// </summary>
    public CostLedger? Ledger { get; set; }

    /// <summary>A shallow copy: the same price table, callbacks, cache and ledger, in a new options object.</summary>
    public AgentGuardOptions Clone() => (AgentGuardOptions)MemberwiseClone();
}
