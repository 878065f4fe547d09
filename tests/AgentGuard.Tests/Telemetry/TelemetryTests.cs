using System.Diagnostics;
using System.Diagnostics.Metrics;

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
}
