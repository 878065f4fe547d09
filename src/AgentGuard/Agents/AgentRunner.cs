using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// The bounded dispatch loop every generated agent runs (and hand-written agents may use): send the transcript
/// with the tools and the per-step output cap, run the tool calls of the response, append calls and results, and
/// repeat until the model answers without tool calls or a limit of the budget stops the run. It returns an
/// outcome; it does not throw because the model or a tool misbehaved.
/// </summary>
public sealed class AgentRunner
{
    private readonly IList<AITool> tools;
    private readonly IList<AITool> declarations;
    private readonly AgentToolInvoker invoke;

    /// <summary>Creates the loop of one agent.</summary>
    /// <param name="agentName">The agent's name, for telemetry and alerts.</param>
    /// <param name="budget">The agent's declared limits; <see cref="AgentGuardOptions.Budget"/> replaces the ones it sets.</param>
    /// <param name="tools">The tools sent to the model on every request.</param>
    /// <param name="invoke">Runs one tool call.</param>
    public AgentRunner(string agentName, BudgetPolicy budget, IList<AITool> tools, AgentToolInvoker invoke)
    {
        AgentName = agentName ?? throw new ArgumentNullException(nameof(agentName));
        Budget = budget ?? throw new ArgumentNullException(nameof(budget));
        this.tools = tools ?? throw new ArgumentNullException(nameof(tools));
        this.invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));

        // The model sees the tools' declarations only: a FunctionInvokingChatClient in the pipeline must hand the
        // calls back to this loop, which budgets, caches and retries them, instead of running them itself.
        var declared = new List<AITool>(tools.Count);
        foreach (var tool in tools)
        {
            declared.Add(tool is AIFunction function ? function.AsDeclarationOnly() : tool);
        }

        declarations = declared;
    }

    /// <summary>The agent's name.</summary>
    public string AgentName { get; }

    /// <summary>The agent's declared limits.</summary>
    public BudgetPolicy Budget { get; }

    /// <summary>
    /// Runs the agent on <paramref name="messages"/> until it answers or a limit stops it. Begun inside another run
    /// (a generated agent called from a tool of another agent, or inside a guarded framework agent's run), this run
    /// draws from the outer run's remaining budget and its steps are recorded in the outer run's ledger too.
    /// </summary>
    /// <exception cref="UnknownModelPriceException">The budget has a dollar limit and the model has no known price.</exception>
    /// <exception cref="ArgumentException">The budget, with the options' overrides, is invalid (see <see cref="BudgetPolicy.Validate"/>).</exception>
    public async Task<AgentRunResult> RunAsync(IChatClient client, IEnumerable<ChatMessage> messages, AgentGuardOptions? options, CostLedger ledger, CancellationToken cancellationToken = default)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        options ??= new AgentGuardOptions();
        if (options.AgentName is null)
        {
            var named = options.Clone();
            named.AgentName = AgentName;
            options = named;
        }

        var policy = Budget.With(options.Budget);
        var outer = GuardedRun.Current;
        var tracker = new BudgetTracker(policy, options, ledger, outer?.Tracker);
        BudgetTracker.WarnIfStepCostUnbounded(policy, options, ledger);
        var modelId = options.ModelId ?? (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
        tracker.EnsurePriced(modelId);

        var transcript = new List<ChatMessage>(messages);
        if (options.SystemPrompt is { Length: > 0 } systemPrompt && (transcript.Count == 0 || transcript[0].Role != ChatRole.System))
        {
            transcript.Insert(0, new ChatMessage(ChatRole.System, systemPrompt));
        }

        using var run = new GuardedRun(null, tracker, outer);
        var loop = new Loop(this, client, options, tracker, transcript, ledger, modelId, options.ToolCache ?? new ToolResultCache());
        return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    // The state of one run.
    private sealed class Loop
    {
        private readonly AgentRunner agent;
        private readonly IChatClient client;
        private readonly AgentGuardOptions options;
        private readonly BudgetTracker tracker;
        private readonly List<ChatMessage> transcript;
        private readonly CostLedger ledger;
        private readonly string? modelId;
        private readonly ToolResultCache cache;
        private readonly SharedBudgetOptions? sharedBudgets;
        private readonly BudgetContext? context;

        public Loop(AgentRunner agent, IChatClient client, AgentGuardOptions options, BudgetTracker tracker, List<ChatMessage> transcript, CostLedger ledger, string? modelId, ToolResultCache cache)
        {
            this.agent = agent;
            this.client = client;
            this.options = options;
            this.tracker = tracker;
            this.transcript = transcript;
            this.ledger = ledger;
            this.modelId = modelId;
            this.cache = cache;

            // The shared budgets of the options, else of a guard in the client's pipeline: a guard passes this loop's
            // calls through without checking its own, so the loop checks them. The context is the run's.
            sharedBudgets = options.SharedBudgets ?? (client.GetService(typeof(BudgetChatClient)) as BudgetChatClient)?.Options.SharedBudgets;
            context = BudgetContext.Current;
        }

        public async Task<AgentRunResult> RunAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Cancelled();
                }

                var request = new ChatOptions
                {
                    ModelId = tracker.ResolveModel(modelId),
                    MaxOutputTokens = tracker.Policy.MaxOutputTokensPerStep,
                    Tools = agent.declarations.Count > 0 ? agent.declarations : null,
                };

                var estimate = StepAccounting.EstimateInputTokens(transcript, request, options.TokenEstimator);
                var decision = tracker.TryBeginStep(request.ModelId, estimate, out var reservation);
                if (!decision.IsAllowed)
                {
                    return await StopAsync(decision, cancellationToken).ConfigureAwait(false);
                }

                if (decision.IsWrapUp)
                {
                    return await WrapUpAsync(request, reservation, cancellationToken).ConfigureAwait(false);
                }

                var sent = options.ShowBudgetToModel && BudgetNotes.Remaining(tracker) is { } note
                    ? new List<ChatMessage>(transcript) { new(ChatRole.User, note) }
                    : transcript;
                var (response, failed) = await CallAsync(sent, request, reservation, cancellationToken).ConfigureAwait(false);
                if (response is null)
                {
                    return failed!;
                }

                transcript.AddRange(response.Messages);
                var calls = CollectCalls(response);
                if (calls is null)
                {
                    return new AgentRunResult(AgentRunStatus.Completed, response.Text, transcript, ledger);
                }

                var stop = await RunToolsAsync(calls, cancellationToken).ConfigureAwait(false);
                if (!stop.IsAllowed)
                {
                    // The tool-call limit ends tool use, not the answer: wrap up if the budget can pay for it.
                    var wrapUpRequest = new ChatOptions { ModelId = tracker.ResolveModel(modelId), Tools = agent.declarations.Count > 0 ? agent.declarations : null };
                    var wrapUp = tracker.TryBeginWrapUp(wrapUpRequest.ModelId, StepAccounting.EstimateInputTokens(transcript, wrapUpRequest, options.TokenEstimator), out var wrapUpReservation);
                    return wrapUp.IsAllowed
                        ? await WrapUpAsync(wrapUpRequest, wrapUpReservation, cancellationToken).ConfigureAwait(false)
                        : await StopAsync(stop, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // The last step: no tool calls, the wrap-up's cap, the instruction after the conversation (not kept in it).
        private async Task<AgentRunResult> WrapUpAsync(ChatOptions request, StepReservation reservation, CancellationToken cancellationToken)
        {
            // The tools stay declared — they are part of the cached prefix — but the model may not call them.
            request.Tools = agent.declarations.Count > 0 ? agent.declarations : null;
            request.ToolMode = ChatToolMode.None;
            request.MaxOutputTokens = BudgetTracker.WrapUpCap(options.WrapUp, tracker.Policy) ?? options.WrapUp.MaxOutputTokens;
            var sent = new List<ChatMessage>(transcript) { new(ChatRole.User, BudgetNotes.WrapUpInstruction(options.WrapUp, tracker)) };
            var (response, failed) = await CallAsync(sent, request, reservation, cancellationToken).ConfigureAwait(false);
            if (response is null)
            {
                return failed!;
            }

            response.Messages = BudgetChatClient.WithoutToolCalls(response.Messages);
            transcript.AddRange(response.Messages);
            await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
            var text = response.Text;
            return new AgentRunResult(AgentRunStatuses.FromLimit(tracker.TrippedLimit), text.Length == 0 ? null : text, transcript, ledger, tracker.TrippedReason);
        }

        private async Task<(ChatResponse? Response, AgentRunResult? Failed)> CallAsync(List<ChatMessage> sent, ChatOptions request, StepReservation reservation, CancellationToken cancellationToken)
        {
            // Every shared budget that applies (account, tenant, user, agent, session) must admit the step too.
            SharedBudgetGate? shared;
            try
            {
                shared = await SharedBudgetGate.ReserveAsync(sharedBudgets, context, options, request.ModelId, reservation.InputTokens, request.MaxOutputTokens, ledger, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                tracker.CancelStep(reservation);
                return (null, Cancelled());
            }
            catch (BudgetExceededException refused)
            {
                tracker.CancelStep(reservation);
                await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
                return (null, new AgentRunResult(AgentRunStatuses.FromLimit(refused.Limit), null, transcript, ledger, refused.Message));
            }
            catch
            {
                tracker.CancelStep(reservation);
                throw;
            }

            using var release = shared;
            ChatResponse response;
            try
            {
                // This loop prices and limits the call: a guard further down the pipeline only applies its output cap.
                using (GuardedRun.EnterAccountedCall(tracker))
                {
                    response = await client.GetResponseAsync(sent, request, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                // The provider bills the input of a call cut short after it was sent: charge the estimate.
                StepRecord? charged = null;
                if (StepAccounting.MayHaveBeenSent(ex))
                {
                    charged = tracker.CompleteStep(reservation, null, StepAccounting.MeasureInterrupted(sent, request, null, options.TokenEstimator));
                }
                else
                {
                    tracker.CancelStep(reservation);
                }

                if (shared is not null)
                {
                    await shared.SettleAsync(charged).ConfigureAwait(false);
                }

                return (null, ex is OperationCanceledException && cancellationToken.IsCancellationRequested
                    ? Cancelled()
                    : new AgentRunResult(AgentRunStatus.Failed, null, transcript, ledger, "The model call failed: " + ex.Message, ex));
            }

            var usage = StepAccounting.Measure(response.Usage, sent, request, response.Text, response.Messages, options.TokenEstimator);
            var record = tracker.CompleteStep(reservation, response.ModelId, usage);
            if (shared is not null)
            {
                await shared.SettleAsync(record).ConfigureAwait(false);
            }

            return (response, null);
        }

        // Runs the calls of one response; returns the tool-call limit's refusal if it stopped them.
        private async Task<BudgetDecision> RunToolsAsync(List<FunctionCallContent> calls, CancellationToken cancellationToken)
        {
            var results = new List<AIContent>(calls.Count);
            BudgetDecision stop = default;
            foreach (var call in calls)
            {
                if (!stop.IsAllowed)
                {
                    results.Add(new FunctionResultContent(call.CallId, "Error: not run — " + stop.Reason));
                    continue;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    results.Add(new FunctionResultContent(call.CallId, "Error: not run — the run was cancelled."));
                    continue;
                }

                var allowed = tracker.TryBeginToolCall(call.Name);
                if (!allowed.IsAllowed)
                {
                    if (allowed.Limit == BudgetLimit.ToolCalls)
                    {
                        stop = allowed;
                    }

                    results.Add(new FunctionResultContent(call.CallId, "Error: not run — " + allowed.Reason));
                    continue;
                }

                var outcome = await agent.InvokeAsync(call, cache, cancellationToken).ConfigureAwait(false);
                results.Add(new FunctionResultContent(call.CallId, outcome.Outcome.IsError ? "Error: " + outcome.Outcome.Error : outcome.Outcome.Result));
                tracker.CompleteToolCall(new ToolCallRecord(call.Name, outcome.Duration, outcome.Outcome.CacheHit, outcome.Outcome.IsError, outcome.Outcome.Error));
            }

            transcript.Add(new ChatMessage(ChatRole.Tool, results));
            return stop;
        }

        private AgentRunResult Cancelled() => new(AgentRunStatus.Cancelled, null, transcript, ledger, "The run was cancelled.");

        private async Task<AgentRunResult> StopAsync(BudgetDecision decision, CancellationToken cancellationToken)
        {
            await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
            return new AgentRunResult(AgentRunStatuses.FromLimit(decision.Limit), null, transcript, ledger, decision.Reason);
        }
    }

    private async Task<(ToolOutcome Outcome, TimeSpan Duration)> InvokeAsync(FunctionCallContent call, ToolResultCache cache, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        ToolOutcome outcome;
        try
        {
            outcome = await invoke(call, cache, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = ToolOutcome.Failure("the run was cancelled while the tool ran.");
        }
        catch (Exception ex)
        {
            outcome = ToolOutcome.Failure($"{ex.GetType().Name}: {ex.Message}");
        }

        var elapsed = TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - started) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        return (outcome, elapsed);
    }

    private static List<FunctionCallContent>? CollectCalls(ChatResponse response)
    {
        List<FunctionCallContent>? calls = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent { InformationalOnly: false } call)
                {
                    (calls ??= new()).Add(call);
                }
            }
        }

        return calls;
    }
}
