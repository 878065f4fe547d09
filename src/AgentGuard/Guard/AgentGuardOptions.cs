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
    private WrapUpOptions wrapUp = new();

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

    /// <summary>
    /// The graceful stop: before a limit ends a run, its last affordable step is a wrap-up that may call no tool, with a small
    /// output cap, so the run returns the model's best answer instead of none. On by default; the budget holds back
    /// its price from the steps before it. Set <see cref="WrapUpOptions.Enabled"/> to <see langword="false"/> to stop
    /// with no answer instead.
    /// </summary>
    public WrapUpOptions WrapUp
    {
        get => wrapUp;
        set => wrapUp = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether each request of a run ends with a short note of what is left — model calls, tokens, dollars — so the
    /// model can pace itself. The note is the last message of the request and is never kept in the conversation, so
    /// the cached prefix of the next request is unchanged. Off by default.
    /// </summary>
    public bool ShowBudgetToModel { get; set; }

    /// <summary>
    /// Budgets beyond one run — account, tenant, user, agent, session, each per day, month or for ever — kept in an
    /// <see cref="IBudgetStore"/>. Every model call must fit each one that applies, in a run or not. None unless set.
    /// </summary>
    public SharedBudgetOptions? SharedBudgets { get; set; }

    /// <summary>How steps without reported usage are estimated.</summary>
    public ITokenEstimator TokenEstimator { get; set; } = CharacterTokenEstimator.Instance;

    /// <summary>
    /// For <see cref="BudgetChatClient"/>: the ledger of its lifetime budget (<see cref="BudgetChatClient.Lifetime"/>,
    /// the requests made outside any run) records into. Generated agents record each run into a new, typed ledger and ignore this.
    /// </summary>
    public CostLedger? Ledger { get; set; }

    /// <summary>A shallow copy: the same price table, callbacks, cache and ledger, in a new options object.</summary>
    public AgentGuardOptions Clone() => (AgentGuardOptions)MemberwiseClone();
}
