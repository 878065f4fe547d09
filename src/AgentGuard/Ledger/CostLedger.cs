using System;
using System.Collections.Generic;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// A thread-safe record of what a run (or any group of model calls) cost: the totals and cost KPIs of every step
/// and tool call, exact for the ledger's lifetime, and the most recent steps and tool calls one by one (at most
/// <see cref="HistoryCapacity"/> of each). Recording a step or a tool call takes a short lock and allocates
/// nothing once the history has grown to its capacity, so a ledger that lives as long as the process (the guard's
/// ledger outside a run) holds bounded memory.
/// </summary>
public class CostLedger
{
    /// <summary>The number of steps and of tool calls a ledger keeps one by one unless told otherwise.</summary>
    public const int DefaultHistoryCapacity = 1024;

    private readonly object gate = new();
    private readonly RecordRing<StepRecord> steps;
    private readonly RecordRing<ToolCallRecord> toolCalls;
    private int stepCount;
    private int toolCallCount;
    private decimal totalCost;
    private long uncachedInput;
    private long cachedInput;
    private long cacheWrite;
    private long output;
    private long reasoning;
    private long toolResult;
    private int estimatedSteps;
    private int unpricedSteps;
    private int cacheHits;
    private int toolFailures;

    /// <summary>Creates a ledger that keeps the most recent <see cref="DefaultHistoryCapacity"/> steps and tool calls one by one.</summary>
    public CostLedger()
        : this(DefaultHistoryCapacity)
    {
    }

    /// <summary>Creates a ledger that keeps the most recent <paramref name="historyCapacity"/> steps and tool calls one by one.</summary>
    /// <param name="historyCapacity">How many steps (and, separately, tool calls) <see cref="GetSteps"/> and
    /// <see cref="GetToolCalls"/> return at most; 0 keeps totals only. Totals count every record either way.</param>
    public CostLedger(int historyCapacity)
    {
        if (historyCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(historyCapacity), historyCapacity, "The history capacity cannot be negative.");
        }

        steps = new RecordRing<StepRecord>(historyCapacity);
        toolCalls = new RecordRing<ToolCallRecord>(historyCapacity);
    }

    /// <summary>How many of the most recent steps, and of the most recent tool calls, the ledger keeps one by one.</summary>
    public int HistoryCapacity => steps.Capacity;

    /// <summary>
    /// Whose work the ledger records: the <see cref="BudgetContext"/> (user, tenant, session) current when it was
    /// created, for chargeback; <see langword="null"/> when none was.
    /// </summary>
    public BudgetContext? Context { get; } = BudgetContext.Current;

    /// <summary>Model calls recorded.</summary>
    public int Steps => Volatile.Read(ref stepCount);

    /// <summary>Tool calls recorded, cache hits included.</summary>
    public int ToolCalls => Volatile.Read(ref toolCallCount);

    /// <summary>Tool calls answered from the tool-result cache.</summary>
    public int CacheHits => Volatile.Read(ref cacheHits);

    /// <summary>Tool calls that failed.</summary>
    public int ToolFailures => Volatile.Read(ref toolFailures);

    /// <summary>What every step cost, in US dollars.</summary>
    public decimal TotalCostUsd
    {
        get
        {
            lock (gate)
            {
                return totalCost;
            }
        }
    }

    /// <summary>All input tokens: uncached, cached and cache writes.</summary>
    public long InputTokens => UncachedInputTokens + CachedInputTokens + CacheWriteTokens;

    /// <summary>Input tokens billed at the regular rate.</summary>
    public long UncachedInputTokens => Interlocked.Read(ref uncachedInput);

    /// <summary>Input tokens read from the provider's prompt cache.</summary>
    public long CachedInputTokens => Interlocked.Read(ref cachedInput);

    /// <summary>Input tokens written to the provider's prompt cache.</summary>
    public long CacheWriteTokens => Interlocked.Read(ref cacheWrite);

    /// <summary>Output tokens, reasoning included.</summary>
    public long OutputTokens => Interlocked.Read(ref output);

    /// <summary>Reasoning tokens (part of <see cref="OutputTokens"/>).</summary>
    public long ReasoningTokens => Interlocked.Read(ref reasoning);

    /// <summary>Tool-result tokens sent back to the model (part of the input).</summary>
    public long ToolResultTokens => Interlocked.Read(ref toolResult);

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens => InputTokens + OutputTokens;

    /// <summary>Steps whose tokens were estimated because the provider reported no usage.</summary>
    public int EstimatedSteps => Volatile.Read(ref estimatedSteps);

    /// <summary>Steps whose model had no known price: their cost is missing from <see cref="TotalCostUsd"/>.</summary>
    public int UnpricedSteps => Volatile.Read(ref unpricedSteps);

    /// <summary>
    /// Cached input tokens ÷ all input tokens — the single most important number of an agent's bill
    /// (target above 0.75 for a stable agent). 0 before any input.
    /// </summary>
    public double CacheHitRate
    {
        get
        {
            var input = InputTokens;
            return input == 0 ? 0 : (double)CachedInputTokens / input;
        }
    }

    /// <summary>Actual steps ÷ <paramref name="idealSteps"/>; above 1.4 the agent is wandering.</summary>
    public double StepInflation(int idealSteps)
    {
        if (idealSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(idealSteps), idealSteps, "The ideal number of steps must be positive.");
        }

        return (double)Steps / idealSteps;
    }

    /// <summary>Records one model call and returns its record.</summary>
    public StepRecord RecordStep(string? modelId, in TokenUsage usage, decimal costUsd, TimeSpan duration = default, bool isPriced = true)
        => RecordStep(modelId, usage, costUsd, duration, isPriced, agent: null, isWrapUp: false);

    /// <summary>
    /// Records one model call made by a nested run (<paramref name="agent"/> is the path of agent names down to it,
    /// see <see cref="StepRecord.Agent"/>) or as a wrap-up, and returns its record.
    /// </summary>
    public StepRecord RecordStep(string? modelId, in TokenUsage usage, decimal costUsd, TimeSpan duration, bool isPriced, string? agent, bool isWrapUp)
    {
        StepRecord record;
        lock (gate)
        {
            record = new StepRecord(stepCount + 1, modelId, usage, costUsd, duration, isPriced, agent, isWrapUp);
            steps.Add(record);
            totalCost += costUsd;
            uncachedInput += usage.UncachedInputTokens;
            cachedInput += usage.CachedInputTokens;
            cacheWrite += usage.CacheWriteTokens;
            output += usage.OutputTokens;
            reasoning += usage.ReasoningTokens;
            toolResult += usage.ToolResultTokens;
            if (usage.IsEstimated)
            {
                estimatedSteps++;
            }

            if (!isPriced)
            {
                unpricedSteps++;
            }

            Volatile.Write(ref stepCount, stepCount + 1);
        }

        OnStepRecorded(record);
        return record;
    }

    /// <summary>Records one tool call.</summary>
    public void RecordToolCall(in ToolCallRecord call)
    {
        lock (gate)
        {
            toolCalls.Add(call);
            if (call.CacheHit)
            {
                cacheHits++;
            }

            if (call.Failed)
            {
                toolFailures++;
            }

            Volatile.Write(ref toolCallCount, toolCallCount + 1);
        }

        GetToolCounter(call.Name)?.Record(call);
    }

    /// <summary>
    /// Forgets every step and tool call, keeping the storage: a ledger reused for run after run (one per worker)
    /// allocates nothing once it has grown to its longest run (or its history capacity).
    /// </summary>
    public void Reset()
    {
        lock (gate)
        {
            steps.Clear();
            toolCalls.Clear();
            stepCount = 0;
            toolCallCount = 0;
            totalCost = 0;
            uncachedInput = 0;
            cachedInput = 0;
            cacheWrite = 0;
            output = 0;
            reasoning = 0;
            toolResult = 0;
            estimatedSteps = 0;
            unpricedSteps = 0;
            cacheHits = 0;
            toolFailures = 0;
        }
    }

    /// <summary>
    /// A copy of the most recent steps (at most <see cref="HistoryCapacity"/>), in order; each keeps its
    /// <see cref="StepRecord.Index"/> in the whole ledger.
    /// </summary>
    public IReadOnlyList<StepRecord> GetSteps()
    {
        lock (gate)
        {
            return steps.ToArray();
        }
    }

    /// <summary>A copy of the most recent tool calls (at most <see cref="HistoryCapacity"/>), in order.</summary>
    public IReadOnlyList<ToolCallRecord> GetToolCalls()
    {
        lock (gate)
        {
            return toolCalls.ToArray();
        }
    }

    /// <summary>
    /// The counters of one tool, for ledgers that keep them (the generated ledger of an agent returns its typed
    /// counters here). The base ledger keeps none.
    /// </summary>
    protected virtual ToolCounter? GetToolCounter(string toolName) => null;

    /// <summary>Called after every step is recorded; for telemetry and derived ledgers.</summary>
    protected virtual void OnStepRecorded(in StepRecord step)
    {
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"{Steps} steps, {ToolCalls} tool calls ({CacheHits} cache hits), {InputTokens} in ({CachedInputTokens} cached) / {OutputTokens} out, ${TotalCostUsd:0.######}";
}
