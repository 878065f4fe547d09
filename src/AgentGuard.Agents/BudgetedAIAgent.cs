using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentGuard.Agents;

/// <summary>
/// A generated <c>[Budget]</c> agent as a Microsoft Agent Framework <see cref="AIAgent"/>: hosting, workflows and
/// multi-agent orchestration run it like any agent, and each run is the agent's own bounded loop — its limits, tool
/// cache, retries and wrap-up — reported on the response (<see cref="AgentGuardResponseExtensions.GetAgentGuardReport(AgentResponse)"/>).
/// Create it with <see cref="BudgetedAgentExtensions.AsAIAgent"/>.
/// </summary>
/// <remarks>
/// A session keeps the conversation (every message, tool calls and results included) between runs. A streamed run
/// is run to its end and then streamed as its messages: the loop decides after each model call whether to go on, so
/// it does not stream tokens. A failed model call is thrown, as other agents do; a cancelled run throws
/// <see cref="OperationCanceledException"/>; a limit ends the run with its wrap-up (or no) answer and the limit's
/// status in the report.
/// </remarks>
public sealed class BudgetedAIAgent : AIAgent
{
    private const string MessagesKey = "agentguard.messages";

    private readonly IBudgetedAgent agent;
    private readonly IChatClient client;
    private readonly AgentGuardOptions? options;
    private readonly BudgetPolicy? sessionBudget;
    private readonly string? description;

    /// <summary>Creates the adapter; see <see cref="BudgetedAgentExtensions.AsAIAgent"/>.</summary>
    public BudgetedAIAgent(IBudgetedAgent agent, IChatClient client, AgentGuardOptions? options = null, string? description = null, BudgetPolicy? sessionBudget = null)
    {
        this.agent = agent ?? throw new ArgumentNullException(nameof(agent));
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.options = options;
        this.description = description;
        this.sessionBudget = sessionBudget;
        agent.Budget.With(options?.Budget).Validate();
        sessionBudget?.Validate();
    }

    /// <summary>The generated agent.</summary>
    public IBudgetedAgent Agent => agent;

    /// <inheritdoc/>
    public override string? Name => options?.AgentName ?? agent.AgentName;

    /// <inheritdoc/>
    public override string? Description => description;

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceType is null)
        {
            throw new ArgumentNullException(nameof(serviceType));
        }

        return base.GetService(serviceType, serviceKey)
            ?? (serviceKey is not null ? null
                : serviceType.IsInstanceOfType(agent) ? agent
                : serviceType == typeof(IChatClient) ? client
                : client.GetService(serviceType));
    }

    /// <inheritdoc/>
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default)
        => new(new BudgetedAgentSession());

    /// <inheritdoc/>
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
    {
        if (session is not BudgetedAgentSession own)
        {
            throw new ArgumentException($"The session was not created by agent '{Name}'.", nameof(session));
        }

        own.StateBag.SetValue(MessagesKey, own.Messages.ToArray(), jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions);
        return new(own.StateBag.Serialize());
    }

    /// <inheritdoc/>
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
    {
        var state = AgentSessionStateBag.Deserialize(serializedState);
        var session = new BudgetedAgentSession(state);
        if (state.TryGetValue<ChatMessage[]>(MessagesKey, out var messages, jsonSerializerOptions ?? AIJsonUtilities.DefaultOptions) && messages is not null)
        {
            session.Messages.AddRange(messages);
        }

        return new(session);
    }

    /// <inheritdoc/>
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        var own = session as BudgetedAgentSession;
        if (session is not null && own is null)
        {
            throw new ArgumentException($"The session was not created by agent '{Name}'; create it with CreateSessionAsync.", nameof(session));
        }

        var history = new List<ChatMessage>();
        if (own is not null)
        {
            history.AddRange(own.Messages);
        }

        history.AddRange(messages);
        var runOptions = this.options;
        var budget = SessionBudget.Open(session, sessionBudget, runOptions ?? new AgentGuardOptions());
        AgentRunResult result;
        if (budget is null)
        {
            result = await agent.RunAsync(client, history, runOptions, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The session's budget is the run's outer budget: the run draws from what the session has left.
            using (new GuardedRunScope(budget))
            {
                result = await agent.RunAsync(client, history, runOptions, cancellationToken).ConfigureAwait(false);
            }

            SessionBudget.Save(session, budget);
        }

        switch (result.Status)
        {
            case AgentRunStatus.Failed when result.Error is not null:
                ExceptionDispatchInfo.Capture(result.Error).Throw();
                break;
            case AgentRunStatus.Cancelled:
                throw new OperationCanceledException(result.StopReason, cancellationToken);
        }

        // The messages this run added: the model's, the tool calls and results (a system prompt the loop put first is
        // kept in the session, not returned).
        var skip = history.Count + (result.Messages.Count > history.Count && HasInsertedSystemPrompt(history, result.Messages) ? 1 : 0);
        var added = new List<ChatMessage>();
        for (var i = skip; i < result.Messages.Count; i++)
        {
            added.Add(result.Messages[i]);
        }

        if (own is not null)
        {
            own.Messages.Clear();
            own.Messages.AddRange(result.Messages);
        }

        var response = new AgentResponse(added)
        {
            AgentId = Id,
            Usage = UsageOf(result.Ledger),
            FinishReason = result.Status == AgentRunStatus.Completed ? ChatFinishReason.Stop : ChatFinishReason.Length,
        };
        var steps = result.Ledger.GetSteps();
        var wrappedUp = steps.Count > 0 && steps[steps.Count - 1] is { IsWrapUp: true, Agent: null };
        AgentGuardResponseExtensions.Attach(response, new AgentGuardReport(result.Status, result.StopReason, result.Ledger, wrappedUp, GuardedRun.Current is not null));
        return response;
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await RunCoreAsync(messages, session, options, cancellationToken).ConfigureAwait(false);
        var updates = response.ToAgentResponseUpdates();
        var report = response.GetAgentGuardReport();
        for (var i = 0; i < updates.Length; i++)
        {
            if (i == updates.Length - 1 && report is not null)
            {
                AgentGuardResponseExtensions.Attach(updates[i], report);
            }

            yield return updates[i];
        }
    }

    private static bool HasInsertedSystemPrompt(List<ChatMessage> history, IReadOnlyList<ChatMessage> transcript)
        => (history.Count == 0 || history[0].Role != ChatRole.System) && transcript[0].Role == ChatRole.System;

    private static UsageDetails UsageOf(CostLedger ledger) => new()
    {
        InputTokenCount = ledger.InputTokens,
        OutputTokenCount = ledger.OutputTokens,
        TotalTokenCount = ledger.TotalTokens,
        CachedInputTokenCount = ledger.CachedInputTokens,
        ReasoningTokenCount = ledger.ReasoningTokens,
    };

    // Makes a session's budget the outer budget of the runs begun in this flow until disposed.
    private readonly struct GuardedRunScope : IDisposable
    {
        private readonly GuardedRun run;

        public GuardedRunScope(BudgetTracker budget) => run = GuardedRun.BeginScope(budget);

        public void Dispose() => run.Dispose();
    }
}

/// <summary>The conversation of a <see cref="BudgetedAIAgent"/>, kept between runs.</summary>
public sealed class BudgetedAgentSession : AgentSession
{
    /// <summary>Creates an empty session.</summary>
    public BudgetedAgentSession()
    {
    }

    internal BudgetedAgentSession(AgentSessionStateBag state)
        : base(state)
    {
    }

    /// <summary>Every message of the conversation so far, tool calls and results included.</summary>
    public List<ChatMessage> Messages { get; } = new();
}

/// <summary>Turns a generated <c>[Budget]</c> agent into a Microsoft Agent Framework agent.</summary>
public static class BudgetedAgentExtensions
{
    /// <summary>
    /// The agent as an <see cref="AIAgent"/> over <paramref name="client"/>: framework hosting, workflows and
    /// orchestration run it unchanged, with its declared limits enforced on every run.
    /// </summary>
    /// <param name="agent">A generated agent (every <c>[Budget]</c> class implements <see cref="IBudgetedAgent"/>).</param>
    /// <param name="client">The model.</param>
    /// <param name="options">Model, prices, callbacks, cache, wrap-up; limits set here replace the declared ones.</param>
    /// <param name="description">What the agent does, for orchestrators and for the model when it is used as a tool.</param>
    /// <param name="sessionBudget">A budget over every run made with the same session.</param>
    public static BudgetedAIAgent AsAIAgent(this IBudgetedAgent agent, IChatClient client, AgentGuardOptions? options = null, string? description = null, BudgetPolicy? sessionBudget = null)
        => new(agent, client, options, description, sessionBudget);
}
