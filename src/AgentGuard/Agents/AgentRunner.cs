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

    /// <summary>Runs the agent on <paramref name="messages"/> until it answers or a limit stops it.</summary>
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
        var tracker = new BudgetTracker(policy, options, ledger);
        BudgetTracker.WarnIfStepCostUnbounded(policy, options, ledger);
        var modelId = options.ModelId ?? (client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId;
        tracker.EnsurePriced(modelId);

        var transcript = new List<ChatMessage>(messages);
        if (options.SystemPrompt is { Length: > 0 } systemPrompt && (transcript.Count == 0 || transcript[0].Role != ChatRole.System))
        {
            transcript.Insert(0, new ChatMessage(ChatRole.System, systemPrompt));
        }

        var cache = options.ToolCache ?? new ToolResultCache();
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new AgentRunResult(AgentRunStatus.Cancelled, null, transcript, ledger, "The run was cancelled.");
            }

            var request = new ChatOptions
            {
                ModelId = tracker.ResolveModel(modelId),
                MaxOutputTokens = policy.MaxOutputTokensPerStep,
                Tools = declarations.Count > 0 ? declarations : null,
            };

            var estimate = StepAccounting.EstimateInputTokens(transcript, request, options.TokenEstimator);
            var decision = tracker.TryBeginStep(request.ModelId, estimate, out var reservation);
            if (!decision.IsAllowed)
            {
                return await StopAsync(tracker, decision, transcript, ledger, cancellationToken).ConfigureAwait(false);
            }

            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(transcript, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The provider bills the input of a call cut short after it was sent: charge the estimate.
                if (StepAccounting.MayHaveBeenSent(ex))
                {
                    tracker.CompleteStep(reservation, null, StepAccounting.MeasureInterrupted(transcript, request, null, options.TokenEstimator));
                }
                else
                {
                    tracker.CancelStep(reservation);
                }

                return ex is OperationCanceledException && cancellationToken.IsCancellationRequested
                    ? new AgentRunResult(AgentRunStatus.Cancelled, null, transcript, ledger, "The run was cancelled.")
                    : new AgentRunResult(AgentRunStatus.Failed, null, transcript, ledger, "The model call failed: " + ex.Message, ex);
            }

            var usage = StepAccounting.Measure(response.Usage, transcript, request, response.Text, response.Messages, options.TokenEstimator);
            tracker.CompleteStep(reservation, response.ModelId, usage);
            transcript.AddRange(response.Messages);

            var calls = CollectCalls(response);
            if (calls is null)
            {
                return new AgentRunResult(AgentRunStatus.Completed, response.Text, transcript, ledger);
            }

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

                var outcome = await InvokeAsync(call, cache, cancellationToken).ConfigureAwait(false);
                results.Add(new FunctionResultContent(call.CallId, outcome.Outcome.IsError ? "Error: " + outcome.Outcome.Error : outcome.Outcome.Result));
                tracker.CompleteToolCall(new ToolCallRecord(call.Name, outcome.Duration, outcome.Outcome.CacheHit, outcome.Outcome.IsError, outcome.Outcome.Error));
            }

            transcript.Add(new ChatMessage(ChatRole.Tool, results));
            if (!stop.IsAllowed)
            {
                return await StopAsync(tracker, stop, transcript, ledger, cancellationToken).ConfigureAwait(false);
            }
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

    private static async Task<AgentRunResult> StopAsync(BudgetTracker tracker, BudgetDecision decision, List<ChatMessage> transcript, CostLedger ledger, CancellationToken cancellationToken)
    {
        await tracker.EscalateAsync(transcript, cancellationToken).ConfigureAwait(false);
        var status = decision.Limit switch
        {
            BudgetLimit.Steps => AgentRunStatus.StepLimitReached,
            BudgetLimit.ToolCalls => AgentRunStatus.ToolCallLimitReached,
            BudgetLimit.TotalTokens => AgentRunStatus.TokenLimitReached,
            _ => AgentRunStatus.HardLimitReached,
        };
        return new AgentRunResult(status, null, transcript, ledger, decision.Reason);
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
