using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentGuard.Agents;

/// <summary>
/// Agent middleware that makes each <c>RunAsync</c> / <c>RunStreamingAsync</c> of a Microsoft Agent Framework agent
/// one guarded run: its own budget and ledger, priced and limited at every model round trip by the
/// <see cref="BudgetChatClient"/> in the agent's chat pipeline, and reported on the response
/// (<see cref="AgentGuardResponseExtensions.GetAgentGuardReport(AgentResponse)"/>).
/// </summary>
/// <remarks>
/// <para>
/// The guard must sit inside the agent's tool loop to see every model call. A <c>ChatClientAgent</c> adds its
/// <c>FunctionInvokingChatClient</c> around the chat client it is given, so give it a guarded client:
/// <c>chatClient.AsBuilder().UseAgentGuard(...).Build().AsAIAgent(...)</c>, then add this middleware with
/// <c>.AsBuilder().UseAgentGuard().Build()</c> — or do both at once with
/// <see cref="AgentGuardChatClientAgentExtensions.AsGuardedAIAgent"/>.
/// </para>
/// <para>
/// A run that reaches a limit ends with the wrap-up answer when the budget could pay for it (see
/// <see cref="AgentGuardOptions.WrapUp"/>), else with an empty answer; either way the response's report carries the
/// limit's status and reason, and nothing is thrown. An agent called by another — as a tool
/// (<c>AsAIFunction</c>) or directly inside the other's run — draws from the caller's remaining budget, and its
/// steps appear in the caller's ledger under its name.
/// </para>
/// </remarks>
public sealed class GuardedAIAgent : DelegatingAIAgent
{
    private readonly BudgetChatClient guard;
    private readonly AgentGuardAgentOptions options;

    /// <summary>Guards the runs of <paramref name="innerAgent"/>, whose chat pipeline must contain a <see cref="BudgetChatClient"/>.</summary>
    /// <exception cref="InvalidOperationException">The agent's chat pipeline has no AgentGuard guard.</exception>
    /// <exception cref="ArgumentException">A budget in <paramref name="options"/> is invalid.</exception>
    public GuardedAIAgent(AIAgent innerAgent, AgentGuardAgentOptions? options = null)
        : base(innerAgent)
    {
        guard = innerAgent.GetService(typeof(BudgetChatClient)) as BudgetChatClient
            ?? throw new InvalidOperationException(
                $"Agent '{innerAgent.Name ?? innerAgent.Id}' has no AgentGuard guard in its chat pipeline, so its model calls cannot be priced or limited. "
                + "Build the agent on a guarded client — chatClient.AsBuilder().UseAgentGuard(...).Build().AsAIAgent(...) — or use chatClient.AsGuardedAIAgent(...).");
        this.options = options ?? new AgentGuardAgentOptions();
        guard.Options.Budget?.With(this.options.Budget).Validate();
        this.options.Budget?.Validate();
        this.options.SessionBudget?.Validate();
    }

    /// <summary>The guard in the agent's chat pipeline.</summary>
    public BudgetChatClient Guard => guard;

    /// <summary>Cost per run over every run of this agent's guard: mean, p50, p95, max, cost per successful task.</summary>
    public RunCostSummary Summary => guard.Summary;

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(GuardedAIAgent) ? this : base.GetService(serviceType, serviceKey);

    /// <inheritdoc/>
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var sessionBudget = SessionBudget.Open(session, this.options.SessionBudget, guard.Options);
        AgentResponse response;
        GuardedRun run;
        using (run = guard.BeginRun(this.options.Budget, sessionBudget ?? GuardedRun.Current?.Tracker, Name))
        {
            try
            {
                response = await InnerAgent.RunAsync(messages, session, options, cancellationToken).ConfigureAwait(false);
            }
            catch (BudgetExceededException)
            {
                // A limit the budget could not wrap up for: the run ends with no answer and the report says why.
                response = new AgentResponse(new List<ChatMessage>()) { AgentId = Id };
            }
            finally
            {
                SessionBudget.Save(session, sessionBudget);
            }

            run.Succeeded = run.Tracker.TrippedLimit == BudgetLimit.None;
        }

        AgentGuardResponseExtensions.Attach(response, Report(run));
        return response;
    }

    /// <inheritdoc/>
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sessionBudget = SessionBudget.Open(session, this.options.SessionBudget, guard.Options);
        var run = guard.BeginRun(this.options.Budget, sessionBudget ?? GuardedRun.Current?.Tracker, Name);
        IAsyncEnumerator<AgentResponseUpdate>? updates = null;
        try
        {
            using (run.Activate())
            {
                updates = InnerAgent.RunStreamingAsync(messages, session, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }

            while (true)
            {
                bool more;

                // Each step of the stream runs in this run, wherever the caller enumerates it.
                using (run.Activate())
                {
                    try
                    {
                        more = await updates.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (BudgetExceededException)
                    {
                        more = false;
                    }
                }

                if (!more)
                {
                    break;
                }

                yield return updates.Current;
            }

            run.Succeeded = run.Tracker.TrippedLimit == BudgetLimit.None;
        }
        finally
        {
            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            SessionBudget.Save(session, sessionBudget);
            run.Dispose();
        }

        var last = new AgentResponseUpdate { AgentId = Id, Role = ChatRole.Assistant };
        AgentGuardResponseExtensions.Attach(last, Report(run));
        yield return last;
    }

    private static AgentGuardReport Report(GuardedRun run)
    {
        var steps = run.Ledger.GetSteps();
        var wrappedUp = steps.Count > 0 && steps[steps.Count - 1] is { IsWrapUp: true, Agent: null };
        return new AgentGuardReport(run.Status, run.StopReason, run.Ledger, wrappedUp, run.IsNested);
    }
}
