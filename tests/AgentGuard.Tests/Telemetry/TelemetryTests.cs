using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentGuard.Tests.Agents;
using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public void CompleteStep_PublishesCostTokensAndStepsWithGenAiTags()
    {
        var agent = "telemetry-" + Guid.NewGuid().ToString("N");
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AgentGuardTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (Equals(map.GetValueOrDefault("gen_ai.agent.name"), agent))
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, value, map));
                }
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var tracker = new BudgetTracker(new BudgetPolicy { MaxSteps = 1 }, new AgentGuardOptions { AgentName = agent });
        tracker.TryBeginStep("gpt-4o", 0, out var reservation);
        tracker.CompleteStep(reservation, "gpt-4o-2024-08-06", new TokenUsage(1_000, 3_000, 0, 200, 50));
        tracker.CompleteToolCall(new ToolCallRecord("lookup", TimeSpan.Zero, cacheHit: true, failed: false));
        tracker.TryBeginStep("gpt-4o", 0, out _);

        var cost = Assert.Single(measurements, m => m.Instrument == "agentguard.cost");
        Assert.Equal((double)((1_000 * 2.5m + 3_000 * 1.25m + 150 * 10m + 50 * 10m) / 1_000_000m), cost.Value, 9);
        Assert.Equal("gpt-4o", cost.Tags["gen_ai.request.model"]);
        Assert.Equal("gpt-4o-2024-08-06", cost.Tags["gen_ai.response.model"]);
        Assert.Equal("chat", cost.Tags["gen_ai.operation.name"]);
        Assert.Equal(3_000, measurements.Single(m => m.Instrument == "agentguard.tokens" && Equals(m.Tags["gen_ai.token.type"], "cached_input")).Value);
        Assert.Equal(50, measurements.Single(m => m.Instrument == "agentguard.tokens" && Equals(m.Tags["gen_ai.token.type"], "reasoning")).Value);
        Assert.Single(measurements, m => m.Instrument == "agentguard.steps");
        Assert.Single(measurements, m => m.Instrument == "agentguard.tool_cache.hits");
        Assert.Equal("Steps", Assert.Single(measurements, m => m.Instrument == "agentguard.budget.trips").Tags["agentguard.budget.limit"]);
    }

    [Fact]
    public void Step_ForATenantsUser_TagsTheTenant_PutsTheUserOnTheTraceOnly_AndTheLedgerKnowsWhose()
    {
        var agent = "attribution-" + Guid.NewGuid().ToString("N");
        using var steps = new MeasurementRecorder(agent, "agentguard.steps");
        using var activity = new Activity("request").Start();

        BudgetTracker tracker;
        using (BudgetContext.Begin(userId: "ada", tenantId: "contoso", sessionId: "s-1"))
        {
            tracker = new BudgetTracker(new BudgetPolicy(), new AgentGuardOptions { AgentName = agent });
            tracker.TryBeginStep("gpt-4o", 0, out var reservation);
            tracker.CompleteStep(reservation, "gpt-4o", new TokenUsage(100, 0, 0, 10, 0));
        }

        var step = Assert.Single(steps.ToolCalls);
        Assert.Equal("contoso", step["agentguard.tenant"]);
        Assert.False(step.ContainsKey("agentguard.user"));
        Assert.Equal("ada", activity.GetTagItem("agentguard.user"));
        Assert.Equal("s-1", activity.GetTagItem("agentguard.session"));
        Assert.Equal("ada", tracker.Ledger.Context!.UserId);
    }

    [Fact]
    public void Trip_AddsEventToCurrentActivity()
    {
        using var source = new ActivitySource("AgentGuard.Tests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "AgentGuard.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("agent run")!;

        var tracker = new BudgetTracker(new BudgetPolicy { MaxToolCalls = 0 });
        tracker.TryBeginToolCall("anything");

        var budgetEvent = Assert.Single(activity.Events, e => e.Name == "agentguard.budget.exceeded");
        Assert.Contains(budgetEvent.Tags, t => t.Key == "agentguard.budget.limit" && Equals(t.Value, "ToolCalls"));
    }

    [Fact]
    public async Task ToolCall_NameTheAgentDoesNotDeclare_IsTaggedUnknown()
    {
        var agent = "telemetry-" + Guid.NewGuid().ToString("N");
        var invented = "invented_" + Guid.NewGuid().ToString("N");
        using var recorder = new MeasurementRecorder(agent);
        var model = new ScriptedChatClient(
            Calls(100, 5, (invented, Args(("x", 1))), ("Add", Args(("a", 1), ("b", 2)))),
            Answer("done"));

        await new OrderAgent().RunAsync(model, [new(ChatRole.User, "hi")], new AgentGuardOptions { ModelId = "gpt-4o", AgentName = agent });

        var tags = recorder.ToolCalls;
        Assert.Equal(2, tags.Count);
        Assert.DoesNotContain(tags, t => Equals(t["gen_ai.tool.name"], invented));
        Assert.Contains(tags, t => Equals(t["gen_ai.tool.name"], "unknown") && Equals(t["error.type"], "unknown_tool"));
        Assert.Contains(tags, t => Equals(t["gen_ai.tool.name"], "Add") && t["error.type"] is null);
    }

    [Fact]
    public void ToolCall_DeclaredToolThatFails_KeepsItsNameAndToolError()
    {
        var agent = "telemetry-" + Guid.NewGuid().ToString("N");
        using var recorder = new MeasurementRecorder(agent);
        var tracker = new BudgetTracker(new BudgetPolicy(), new AgentGuardOptions { AgentName = agent });

        tracker.CompleteToolCall(new ToolCallRecord("lookup", TimeSpan.Zero, cacheHit: false, failed: true, error: "There is no tool named 'other'."));
        tracker.CompleteToolCall(new ToolCallRecord("ghost", TimeSpan.Zero, cacheHit: false, failed: true, error: ToolOutcome.UnknownTool("ghost").Error));

        Assert.Equal("lookup", recorder.ToolCalls[0]["gen_ai.tool.name"]);
        Assert.Equal("tool_error", recorder.ToolCalls[0]["error.type"]);
        Assert.Equal("unknown", recorder.ToolCalls[1]["gen_ai.tool.name"]);
    }

    [Fact]
    public void ToolNameTags_PastCapacity_NewNamesAreOther()
    {
        var tags = new ToolNameTags(capacity: 2);
        static ToolCallRecord Call(string name) => new(name, TimeSpan.Zero, cacheHit: false, failed: false);

        Assert.Equal("a", tags.For(Call("a")));
        Assert.Equal("b", tags.For(Call("b")));
        Assert.Equal("other", tags.For(Call("c")));
        Assert.Equal("a", tags.For(Call("a")));
        Assert.Equal("unknown", tags.For(new ToolCallRecord("d", TimeSpan.Zero, false, true, ToolOutcome.UnknownTool("d").Error)));
    }

    // Records the tags of one counter's measurements for one agent.
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly List<Dictionary<string, object?>> toolCalls = new();

        public MeasurementRecorder(string agent, string instrumentName = "agentguard.tool_calls")
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == AgentGuardTelemetry.Name && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                var map = new Dictionary<string, object?>();
                foreach (var tag in tags)
                {
                    map[tag.Key] = tag.Value;
                }

                if (Equals(map.GetValueOrDefault("gen_ai.agent.name"), agent))
                {
                    lock (toolCalls)
                    {
                        toolCalls.Add(map);
                    }
                }
            });
            listener.Start();
        }

        public List<Dictionary<string, object?>> ToolCalls
        {
            get
            {
                lock (toolCalls)
                {
                    return toolCalls.ToList();
                }
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
