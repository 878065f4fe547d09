using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Budget;

public sealed class BudgetPolicyTests
{
    public static TheoryData<BudgetPolicy, string, string> InvalidPolicies => new()
    {
        { new BudgetPolicy { MaxSteps = 0 }, "MaxSteps", "is 0" },
        { new BudgetPolicy { MaxSteps = -3 }, "MaxSteps", "is -3" },
        { new BudgetPolicy { MaxToolCalls = -1 }, "MaxToolCalls", "is -1" },
        { new BudgetPolicy { MaxTotalTokens = -5_000 }, "MaxTotalTokens", "is -5000" },
        { new BudgetPolicy { MaxOutputTokensPerStep = 0 }, "MaxOutputTokensPerStep", "is 0" },
        { new BudgetPolicy { MaxRetriesPerTool = -1 }, "MaxRetriesPerTool", "is -1" },
        { new BudgetPolicy { HardLimitUsd = -0.5m }, "HardLimitUsd", "is -0.5" },
        { new BudgetPolicy { HardLimitUsd = 0m }, "HardLimitUsd", "is 0" },
        { new BudgetPolicy { SoftLimitUsd = -1m }, "SoftLimitUsd", "is -1" },
        { new BudgetPolicy { SoftLimitUsd = 0.5m, HardLimitUsd = 0.5m }, "SoftLimitUsd", "($0.5) must be below HardLimitUsd ($0.5)" },
        { new BudgetPolicy { SoftLimitUsd = 0.8m, HardLimitUsd = 0.5m }, "SoftLimitUsd", "($0.8) must be below HardLimitUsd ($0.5)" },
        { new BudgetPolicy { FallbackModelId = " " }, "FallbackModelId", "blank" },
        { new BudgetPolicy { AlertThresholds = [0.5, double.NaN] }, "AlertThresholds", "NaN" },
        { new BudgetPolicy { AlertThresholds = [0] }, "AlertThresholds", "holds 0" },
        { new BudgetPolicy { AlertThresholds = [1.5] }, "AlertThresholds", "holds 1.5" },
        { new BudgetPolicy { AlertThresholds = null! }, "AlertThresholds", "null" },
    };

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void Validate_InvalidLimit_ThrowsNamingPropertyAndValue(BudgetPolicy policy, string property, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(policy.Validate);

        Assert.Equal(property, error.ParamName);
        Assert.Contains("BudgetPolicy." + property, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidPolicies))]
    public void Tracker_And_Guard_InvalidPolicy_FailAtCreation(BudgetPolicy policy, string property, string expected)
    {
        _ = expected;
        Assert.Equal(property, Assert.ThrowsAny<ArgumentException>(() => new BudgetTracker(policy)).ParamName);
        var inner = new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi"));
        Assert.Equal(property, Assert.ThrowsAny<ArgumentException>(() => new BudgetChatClient(inner, new AgentGuardOptions { Budget = policy })).ParamName);
        Assert.Empty(inner.Requests);
    }

    [Fact]
    public void Validate_SensibleLimits_Pass()
    {
        new BudgetPolicy
        {
            MaxSteps = 1,
            MaxToolCalls = 0,
            MaxTotalTokens = 1,
            MaxOutputTokensPerStep = 1,
            MaxRetriesPerTool = 0,
            SoftLimitUsd = 0.49m,
            HardLimitUsd = 0.5m,
            FallbackModelId = "gpt-4o-mini",
            AlertThresholds = [0.25, 1.0],
        }.Validate();
        BudgetPolicy.Unlimited.Validate();
        new BudgetPolicy { SoftLimitUsd = 5m }.Validate();
        new BudgetPolicy { AlertThresholds = [] }.Validate();
        BudgetPolicy.FromAttributeValues(0, 0, 0, 0, 0, 0, 0, null).Validate();
    }

    [Fact]
    public async Task GeneratedAgent_OverrideContradictsAttribute_FailsBeforeTheFirstCall()
    {
        // OrderAgent declares SoftLimitUsd = 0.5: a hard limit below it cannot be enforced as meant.
        var model = new ScriptedChatClient(ScriptedChatClient.Answer("hi"));

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => new AgentGuard.Tests.Agents.OrderAgent().RunAsync(
            model, [new ChatMessage(ChatRole.User, "hi")], new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { HardLimitUsd = 0.3m } }));

        Assert.Equal("SoftLimitUsd", error.ParamName);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public void Guard_HardLimitWithoutOutputCap_WarnsOnceAtStart()
    {
        var alerts = new List<BudgetAlert>();
        var options = new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { HardLimitUsd = 1m }, OnAlert = alerts.Add };

        var guard = new BudgetChatClient(new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi")), options);
        using (guard.BeginRun())
        {
        }

        var alert = Assert.Single(alerts);
        Assert.Equal(BudgetAlertKind.UnboundedStepCost, alert.Kind);
        Assert.Equal(BudgetLimit.HardCost, alert.Limit);
        Assert.Equal(1m, alert.LimitUsd);
        Assert.Contains("MaxOutputTokensPerStep", alert.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]   // capped: bounded
    [InlineData(false)]  // no dollar limit: nothing to overshoot
    public void Guard_BoundedOrNoDollarLimit_DoesNotWarn(bool capped)
    {
        var alerts = new List<BudgetAlert>();
        var budget = capped ? new BudgetPolicy { HardLimitUsd = 1m, MaxOutputTokensPerStep = 500 } : new BudgetPolicy { MaxSteps = 5 };

        _ = new BudgetChatClient(new ScriptedChatClient((_, _) => ScriptedChatClient.Answer("hi")), new AgentGuardOptions { Budget = budget, OnAlert = alerts.Add });

        Assert.Empty(alerts);
    }

    [Fact]
    public async Task GeneratedAgent_HardLimitWithoutOutputCap_WarnsAtRunStart()
    {
        var alerts = new List<BudgetAlert>();
        var model = new ScriptedChatClient(ScriptedChatClient.Answer("hi"));

        await new AgentGuard.Tests.Agents.UncappedAgent().RunAsync(model, [new ChatMessage(ChatRole.User, "hi")], new AgentGuardOptions { ModelId = "gpt-4o", OnAlert = alerts.Add });

        var alert = Assert.Single(alerts);
        Assert.Equal(BudgetAlertKind.UnboundedStepCost, alert.Kind);
        Assert.StartsWith("UncappedAgent has a $0.5 hard limit", alert.Message, StringComparison.Ordinal);
    }
}
