using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// An <see cref="IChatClient"/> guard for agents written by hand and for <c>FunctionInvokingChatClient</c>
/// pipelines: applies the per-step output cap when a request has none, switches to the fallback model past the
/// soft limit, refuses a request that would pass a limit (with <see cref="BudgetExceededException"/>), and records
/// every response — streaming too, with usage from the final update — in the run's ledger.
/// </summary>
/// <remarks>
/// The budget's cumulative limits (steps, tool calls, tokens, dollars, the soft-limit fallback) apply to each run: the
/// requests made inside <see cref="BeginRun(BudgetPolicy?)"/>'s async flow (or inside another run, which they are charged
/// to — the innermost run pays, and draws from every run around it). Requests outside any run share the guard's
/// <see cref="Lifetime"/> budget: the same limits, over every such request the guard ever sees — a configured limit is
/// never ignored, so a $0.50 hard limit on a singleton guard called from a web handler stops it at $0.50 in all. Begin a
/// run per task to give each task its own budget. Add it with
/// <c>builder.UseFunctionInvocation().UseAgentGuard(...)</c>: inside the tool loop, so it sees every model round trip.
/// Outside a <see cref="FunctionInvokingChatClient"/> it would see one request for the whole loop, so there it
/// refuses every request with an <see cref="InvalidOperationException"/> that names the right order.
/// </remarks>
public sealed partial class BudgetChatClient : DelegatingChatClient
{
    private readonly AgentGuardOptions options;
    private readonly BudgetPolicy policy;
    private readonly string? defaultModelId;
    private readonly string? misplacement;
    private readonly bool guardBelow;

    /// <summary>
    /// Creates the guard over <paramref name="innerClient"/>. A budget with a hard dollar limit and no per-step
    /// output cap raises <see cref="BudgetAlertKind.UnboundedStepCost"/> once, here.
    /// </summary>
    /// <exception cref="ArgumentException">The budget is invalid (see <see cref="BudgetPolicy.Validate"/>).</exception>
    public BudgetChatClient(IChatClient innerClient, AgentGuardOptions? options = null)
        : base(innerClient)
    {
        this.options = options ?? new AgentGuardOptions();
        policy = this.options.Budget ?? BudgetPolicy.Unlimited;
        policy.Validate();

        misplacement = FindMisplacement(innerClient);

        // Requests that name no model go to the provider's default; price them as that model.
        defaultModelId = (innerClient.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
        // Requests outside any run share one budget for the guard's lifetime: not one conversation, so no wrap-up. A guard
        // with another guard below it (one on each side of the tool loop) leaves the limits to that one: it would
        // otherwise count each tool loop as one more step, and charge shared budgets a second time.
        guardBelow = innerClient.GetService(typeof(BudgetChatClient)) is BudgetChatClient;
        var lifetimeOptions = this.options.Clone();
        lifetimeOptions.WrapUp = WrapUpOptions.Disabled;
        var lifetimePolicy = guardBelow ? new BudgetPolicy { MaxOutputTokensPerStep = policy.MaxOutputTokensPerStep } : policy;
        Lifetime = new BudgetTracker(lifetimePolicy, lifetimeOptions, this.options.Ledger) { IsScope = true };
        BudgetTracker.WarnIfStepCostUnbounded(policy, this.options, Lifetime.Ledger);
    }

    /// <summary>The options the guard was created with.</summary>
    public AgentGuardOptions Options => options;

    /// <summary>
    /// The guard's lifetime budget: the requests made outside any run draw from it together, under the guard's limits
    /// (a step limit counts model calls, a dollar limit spend, over the guard's whole life), and are recorded in its
    /// ledger (<see cref="AgentGuardOptions.Ledger"/> when set). With no cumulative limit set, it only records.
    /// </summary>
    public BudgetTracker Lifetime { get; }

    /// <summary>The guard's lifetime budget, under its former name.</summary>
    [Obsolete("Requests outside any run now share the guard's lifetime budget under its limits: use Lifetime.")]
    public BudgetTracker DefaultRun => Lifetime;

    /// <summary>Cost per run over every run begun on this client: mean, p50, p95, max, cost per successful task.</summary>
    public RunCostSummary Summary { get; } = new();

    /// <summary>
    /// Begins a run: until it is disposed, requests to this guard in this async flow get their own budget and
    /// ledger. Begun inside another run (of this guard, of another guard, or of a generated agent — an agent called
    /// by another, directly or as a tool), the run is nested: its steps must also fit what the outer run has left
    /// and are recorded in both ledgers, so it can never spend more than the outer run has left.
    /// </summary>
    /// <param name="budget">Limits for this run that replace the guard's (<see cref="BudgetPolicy.With"/>); the guard's when <see langword="null"/>.</param>
    /// <exception cref="UnknownModelPriceException">The budget has a dollar limit and the default model has no price.</exception>
    /// <exception cref="ArgumentException">The budget, with <paramref name="budget"/>'s overrides, is invalid.</exception>
    public GuardedRun BeginRun(BudgetPolicy? budget = null)
        => BeginRun(budget, GuardedRun.Current?.Tracker);

    /// <summary>
    /// Begins a run for <paramref name="context"/> — a user, tenant and session — whose shared budgets
    /// (<see cref="AgentGuardOptions.SharedBudgets"/>) every request of the run must fit too; the context is current
    /// until the run is disposed.
    /// </summary>
    /// <param name="context">Who the run is for.</param>
    /// <param name="budget">Limits for this run that replace the guard's; the guard's when <see langword="null"/>.</param>
    public GuardedRun BeginRun(BudgetContext context, BudgetPolicy? budget = null)
    {
        var scope = BudgetContext.Begin(context ?? throw new ArgumentNullException(nameof(context)));
        try
        {
            var run = BeginRun(budget, GuardedRun.Current?.Tracker);
            run.OnDispose(scope);
            return run;
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Begins a run that draws from <paramref name="within"/> — a session's or a user's budget, itself drawing from
    /// the run this one is nested in, if any — instead of from the innermost active run.
    /// </summary>
    /// <param name="budget">Limits for this run that replace the guard's; the guard's when <see langword="null"/>.</param>
    /// <param name="within">The budget the run draws from; none when <see langword="null"/>.</param>
    /// <param name="name">The run's name in outer ledgers (<see cref="StepRecord.Agent"/>) when the options name no agent.</param>
    public GuardedRun BeginRun(BudgetPolicy? budget, BudgetTracker? within, string? name = null)
    {
        var outer = within;
        var runOptions = options;
        if (name is not null && options.AgentName is null)
        {
            runOptions = options.Clone();
            runOptions.AgentName = name;
        }

        var tracker = new BudgetTracker(policy.With(budget), runOptions, null, outer);
        if ((options.ModelId ?? defaultModelId) is { } model)
        {
            tracker.EnsurePriced(model);
        }

        return new GuardedRun(this, tracker, GuardedRun.Current);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A call that fails after the request may have been sent — a timeout, a cancellation, a server error — is
    /// charged as an estimate of its input (<see cref="StepAccounting.MeasureInterrupted(IEnumerable{ChatMessage}, ChatOptions?, IEnumerable{AIContent}?, ITokenEstimator)"/>), counted against the
    /// budget and recorded as an estimated step; then the original exception is rethrown unchanged. A request
    /// cancelled before it is handed on, or refused with an <see cref="ArgumentException"/> (validation), costs
    /// nothing.
    /// </remarks>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        var sent = messages as IList<ChatMessage> ?? new List<ChatMessage>(messages);
        if (GuardedRun.InAccountedCall)
        {
            // A generated agent's loop prices and limits this call itself: only the output cap applies here.
            ThrowIfMisplaced();
            return base.GetResponseAsync(sent, CapOutput(options?.Clone() ?? new ChatOptions()), cancellationToken);
        }

        return RespondAsync(sent, options, CurrentTracker(), BudgetContext.Current, wrapUpNow: false, cancellationToken);
    }

    private async Task<ChatResponse> RespondAsync(IList<ChatMessage> sent, ChatOptions? options, BudgetTracker tracker, BudgetContext? context, bool wrapUpNow, CancellationToken cancellationToken)
    {
        var inRun = !ReferenceEquals(tracker, Lifetime);
        if (inRun && !wrapUpNow)
        {
            RecordToolResults(tracker, sent);
        }

        var request = Prepare(options, tracker);
        var (reservation, shared) = await BeginStepAsync(tracker, sent, request, context, wrapUpNow, cancellationToken).ConfigureAwait(false);
        using var release = shared;
        var forwarded = Forward(tracker, reservation, sent, request);

        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(forwarded, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var charged = ChargeFailedStep(tracker, reservation, forwarded, request, null, null, ex);
            if (shared is not null)
            {
                await shared.SettleAsync(charged).ConfigureAwait(false);
            }

            throw;
        }

        var usage = StepAccounting.Measure(response.Usage, forwarded, request, response.Text, response.Messages, this.options.TokenEstimator);
        var record = tracker.CompleteStep(reservation, response.ModelId, usage);
        if (shared is not null)
        {
            await shared.SettleAsync(record).ConfigureAwait(false);
        }

        if (reservation.IsWrapUp)
        {
            response.Messages = WithoutToolCalls(response.Messages);
            MarkWrapUp(response.AdditionalProperties ??= new(), tracker);
            var transcript = new List<ChatMessage>(sent);
            transcript.AddRange(response.Messages);
            await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
        }
        else if (inRun && AdmitToolCalls(tracker, response.Messages) is { Dropped: true, Left: 0 })
        {
            // The tool-call limit refused every call the model asked for: the run wraps up now, with the answer so far
            // (or stops, if the budget cannot pay for the wrap-up).
            var transcript = new List<ChatMessage>(sent);
            foreach (var message in response.Messages)
            {
                if (message.Contents.Count > 0)
                {
                    transcript.Add(message);
                }
            }

            return await RespondAsync(transcript, options, tracker, context, wrapUpNow: true, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    /// <summary>
    /// The key of <see cref="ChatResponse.AdditionalProperties"/> (and of the last streamed update's) that marks the
    /// wrap-up of a run: its value is the <see cref="AgentRunStatus"/> of the limit that ended the run.
    /// </summary>
    public const string WrapUpPropertyName = "agentguard.wrap_up";

    /// <inheritdoc/>
    /// <remarks>
    /// The stream belongs to the run current when it is created, even if it is enumerated after that run's scope.
    /// A stream that fails, is cancelled, or is disposed part-way before the provider reported usage is charged as
    /// an estimate of its input plus the output received so far (<see cref="StepAccounting.MeasureInterrupted(IEnumerable{ChatMessage}, ChatOptions?, IEnumerable{AIContent}?, ITokenEstimator)"/>)
    /// and recorded as an estimated step; a failure is then rethrown unchanged.
    /// </remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        // The run is the one the caller is in now, not the one current wherever the stream is enumerated.
        var sent = messages as IList<ChatMessage> ?? new List<ChatMessage>(messages);
        return StreamAsync(sent, options, CurrentTracker(), BudgetContext.Current, wrapUpNow: false, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(IList<ChatMessage> sent, ChatOptions? options, BudgetTracker tracker, BudgetContext? context, bool wrapUpNow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (GuardedRun.InAccountedCall)
        {
            ThrowIfMisplaced();
            await foreach (var passed in base.GetStreamingResponseAsync(sent, CapOutput(options?.Clone() ?? new ChatOptions()), cancellationToken).ConfigureAwait(false))
            {
                yield return passed;
            }

            yield break;
        }

        var inRun = !ReferenceEquals(tracker, Lifetime);
        if (inRun && !wrapUpNow)
        {
            RecordToolResults(tracker, sent);
        }

        var request = Prepare(options, tracker);
        var (reservation, shared) = await BeginStepAsync(tracker, sent, request, context, wrapUpNow, cancellationToken).ConfigureAwait(false);
        using var release = shared;
        var original = sent;
        sent = Forward(tracker, reservation, sent, request);
        var droppedCalls = false;
        var callsLeft = 0;

        UsageDetails? usage = null;
        string? modelId = null;
        var text = new System.Text.StringBuilder();
        var received = new List<AIContent>();
        var completed = false;
        Exception? failure = null;
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            try
            {
                updates = base.GetStreamingResponseAsync(sent, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception ex)
            {
                failure = ex;
                throw;
            }

            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                var update = updates.Current;
                modelId ??= update.ModelId;
                if (reservation.IsWrapUp)
                {
                    update.Contents = WithoutToolCalls(update.Contents);
                }
                else if (inRun)
                {
                    update.Contents = AdmitToolCalls(tracker, update.Contents, ref droppedCalls, ref callsLeft);
                }

                foreach (var content in update.Contents)
                {
                    if (content is UsageContent usageContent)
                    {
                        usage ??= new UsageDetails();
                        usage.Add(usageContent.Details);
                    }
                    else
                    {
                        received.Add(content);
                        if (content is TextContent textContent)
                        {
                            text.Append(textContent.Text);
                        }
                    }
                }

                if (usage is null && TokenUsage.UsageDetailsFromAdditionalProperties(update.AdditionalProperties) is UsageDetails stranded)
                {
                    // The provider's usage object, left in the update's additional properties by a client that
                    // reports no UsageContent (Semantic Kernel's IChatCompletionService bridge).
                    usage = stranded;
                }

                yield return update;
            }

            completed = true;
            if (reservation.IsWrapUp)
            {
                var marker = new ChatResponseUpdate { ModelId = modelId };
                MarkWrapUp(marker.AdditionalProperties = new(), tracker);
                yield return marker;
            }
        }
        finally
        {
            try
            {
                if (updates is not null)
                {
                    await updates.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception) when (failure is not null)
            {
                // The stream already failed: that exception, propagating now, is the one the caller sees, not a
                // second failure from tearing the broken stream down.
            }
            finally
            {
                // Runs even when disposing the provider's stream throws, so the reservation is always reconciled or
                // released; the exception that is propagating (the stream's own failure, if any) is not replaced here.
                var charged = ChargeStream(tracker, reservation, sent, request, modelId, usage, text.ToString(), received, completed, failure);
                if (shared is not null)
                {
                    await shared.SettleAsync(charged).ConfigureAwait(false);
                }
            }
        }

        if (reservation.IsWrapUp)
        {
            var transcript = new List<ChatMessage>(original) { new(ChatRole.Assistant, received) };
            await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
        }
        else if (droppedCalls && callsLeft == 0)
        {
            // The tool-call limit refused every call of this answer: the wrap-up follows in the same stream.
            var transcript = new List<ChatMessage>(original);
            if (received.Count > 0)
            {
                transcript.Add(new ChatMessage(ChatRole.Assistant, received));
            }

            await foreach (var update in StreamAsync(transcript, options, tracker, context, wrapUpNow: true, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
    }

    private StepRecord? ChargeStream(BudgetTracker tracker, in StepReservation reservation, IList<ChatMessage> sent, ChatOptions request, string? modelId, UsageDetails? usage, string text, List<AIContent> received, bool completed, Exception? failure)
    {
        if (completed)
        {
            var measured = StepAccounting.Measure(usage, sent, request, text, [new ChatMessage(ChatRole.Assistant, received)], options.TokenEstimator);
            return tracker.CompleteStep(reservation, modelId, measured);
        }
        else if (usage is not null)
        {
            // Cut short after a partial usage report (some providers report input and ~1 output token at the start
            // of a stream): charge the larger of what was reported and what was sent and received.
            return tracker.CompleteStep(reservation, modelId, StepAccounting.MeasureInterrupted(usage, sent, request, received, options.TokenEstimator));
        }
        else
        {
            // Failed, cancelled or abandoned part-way: the provider billed the input and what it streamed.
            return ChargeFailedStep(tracker, reservation, sent, request, modelId, received, failure);
        }
    }

    private StepRecord? ChargeFailedStep(BudgetTracker tracker, in StepReservation reservation, IList<ChatMessage> sent, ChatOptions request, string? modelId, List<AIContent>? received, Exception? failure)
    {
        if (failure is not null && (received is null || received.Count == 0) && !StepAccounting.MayHaveBeenSent(failure))
        {
            tracker.CancelStep(reservation);
            return null;
        }

        return tracker.CompleteStep(reservation, modelId, StepAccounting.MeasureInterrupted(sent, request, received, options.TokenEstimator));
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(BudgetChatClient) ? this : base.GetService(serviceType, serviceKey);

    private void ThrowIfMisplaced()
    {
        if (misplacement is not null)
        {
            throw new GuardPlacementException(misplacement);
        }
    }

    private BudgetTracker CurrentTracker()
    {
        ThrowIfMisplaced();
        // Inside a run of this guard, the innermost run pays — a sub-agent's, when its code calls this client directly —
        // and draws from every run around it. Outside every run of this guard (a second guard stacked on the pipeline,
        // say), the guard's lifetime budget pays, so no run is charged twice for one call.
        return GuardedRun.HasRunOf(this) ? GuardedRun.Current!.Tracker : Lifetime;
    }

    // A FunctionInvokingChatClient below the guard with no guard below it makes its model round trips unseen: the
    // guard would reserve one step for a request that runs the whole tool loop.
    private static string? FindMisplacement(IChatClient innerClient)
    {
        if (innerClient.GetService(typeof(FunctionInvokingChatClient)) is not FunctionInvokingChatClient toolLoop
            || toolLoop.GetService(typeof(BudgetChatClient)) is BudgetChatClient)
        {
            return null;
        }

        return $"The AgentGuard guard is outside UseFunctionInvocation(): it would see one request while the tool loop under it makes up to {toolLoop.MaximumIterationsPerRequest} model calls, unpriced and not limited by the budget. "
            + "In a ChatClientBuilder the first Use is the outermost, so build the pipeline as .UseFunctionInvocation().UseAgentGuard(...) to price and limit every round trip.";
    }

    private ChatOptions CapOutput(ChatOptions request)
    {
        if (policy.MaxOutputTokensPerStep is int cap && (request.MaxOutputTokens is null || request.MaxOutputTokens > cap))
        {
            request.MaxOutputTokens = cap;
        }

        return request;
    }

    private ChatOptions Prepare(ChatOptions? requested, BudgetTracker tracker)
    {
        var request = CapOutput(requested?.Clone() ?? new ChatOptions());
        request.ModelId ??= options.ModelId ?? defaultModelId;
        request.ModelId = tracker.ResolveModel(request.ModelId);
        return request;
    }

    private async Task<(StepReservation Reservation, SharedBudgetGate? Shared)> BeginStepAsync(BudgetTracker tracker, IList<ChatMessage> sent, ChatOptions request, BudgetContext? context, bool wrapUpNow, CancellationToken cancellationToken)
    {
        if (tracker.HasUsdLimits)
        {
            tracker.EnsurePriced(request.ModelId);
        }

        // A request cancelled before it starts is not sent, so it reserves nothing and costs nothing.
        cancellationToken.ThrowIfCancellationRequested();
        var estimate = StepAccounting.EstimateInputTokens(sent, request, options.TokenEstimator);
        var decision = wrapUpNow || tracker.TrippedLimit == BudgetLimit.ToolCalls
            ? tracker.TryBeginWrapUp(request.ModelId, estimate, out var reservation)
            : tracker.TryBeginStep(request.ModelId, estimate, out reservation);
        if (!decision.IsAllowed)
        {
            await tracker.EscalateAsync(new List<ChatMessage>(sent), cancellationToken).ConfigureAwait(false);
            var reason = ReferenceEquals(tracker, Lifetime)
                ? "The guard's lifetime budget, shared by every request made outside a run, is used up: " + decision.Reason + " Begin a run per task (BeginRun) to give each task its own budget."
                : decision.Reason!;
            throw new BudgetExceededException(decision.Limit, reason, tracker.Ledger);
        }

        // Then every shared budget that applies (account, tenant, user, agent, session) must admit the step too.
        try
        {
            // The run's options: a run begun for a named agent is checked against that agent's budget.
            var shared = await SharedBudgetGate.ReserveAsync(guardBelow ? null : options.SharedBudgets, context, tracker.Options, request.ModelId, Math.Max(estimate, reservation.InputTokens), reservation.IsWrapUp ? options.WrapUp.MaxOutputTokens : request.MaxOutputTokens, tracker.Ledger, cancellationToken).ConfigureAwait(false);
            return (reservation, shared);
        }
        catch
        {
            tracker.CancelStep(reservation);
            throw;
        }
    }
}
