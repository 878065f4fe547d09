using AgentGuard.Tests.Agents;
using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Scopes;

/// <summary>Budgets beyond one run, enforced by the guard and the generated loop, in a run or not.</summary>
public sealed class SharedBudgetTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Where is my order?")];

    // gpt-4o: 10,000 in at $2.50/M + 300 out at $10/M = $0.028 a request.
    private static ScriptedChatClient Model() => new((_, _) => Answer("hi", input: 10_000, output: 300));

    private static BudgetChatClient Guard(IChatClient model, SharedBudgetOptions shared, string? agentName = null)
        => new(model, new AgentGuardOptions { ModelId = "gpt-4o", AgentName = agentName, Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 }, SharedBudgets = shared });

    private static async Task<BudgetExceededException?> SpendUntilRefusedAsync(IChatClient client, int most = 50)
    {
        for (var i = 0; i < most; i++)
        {
            try
            {
                await client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 300 });
            }
            catch (BudgetExceededException stop)
            {
                return stop;
            }
        }

        return null;
    }

    [Fact]
    public async Task PerUserDailyCap_StopsThatUser_OutsideAnyRun_AndNotTheNext()
    {
        var model = Model();
        var guard = Guard(model, new SharedBudgetOptions { PerUser = new ScopeLimits { HardLimitUsd = 0.10m, Period = BudgetPeriod.UtcDay }, Clock = () => new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero) });

        BudgetExceededException? ada;
        using (BudgetContext.Begin(userId: "ada"))
        {
            ada = await SpendUntilRefusedAsync(guard);
        }

        var adaRequests = model.Requests.Count;
        using (BudgetContext.Begin(userId: "grace"))
        {
            await guard.GetResponseAsync(Question);
        }

        Assert.NotNull(ada);
        Assert.Equal("user", ada!.Scope!.Kind);
        Assert.Equal("ada", ada.Scope.Id);
        Assert.Equal(BudgetLimit.HardCost, ada.Limit);
        Assert.True(adaRequests * 0.028m <= 0.10m, $"{adaRequests} requests passed the $0.10 cap");
        Assert.Equal(adaRequests + 1, model.Requests.Count);
    }

    [Fact]
    public async Task BeginRun_ForAUser_ChargesThatUsersBudget_ForTheRunOnly()
    {
        var store = new InMemoryBudgetStore();
        var perUser = new ScopeLimits { HardLimitUsd = 1m };
        var guard = Guard(Model(), new SharedBudgetOptions { Store = store, PerUser = perUser });

        using (guard.BeginRun(new BudgetContext(userId: "ada")))
        {
            await guard.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 300 });
            Assert.Equal("ada", BudgetContext.Current!.UserId);
        }

        Assert.Null(BudgetContext.Current);
        Assert.Equal(0.028m, (await store.GetSpendAsync(perUser.For("user", "ada"), DateTimeOffset.UtcNow)).Spent.Usd);
    }

    [Fact]
    public async Task GeneratedAgent_OverAGuardWithSharedBudgets_IsCheckedAgainstThem()
    {
        var store = new InMemoryBudgetStore();
        var account = new ScopeLimits { MaxTotalTokens = 15_000 };
        var model = new ScriptedChatClient((_, _) => Answer("done", input: 10_000, output: 100));
        using var guarded = new ChatClientBuilder(model).UseAgentGuard(o => { o.ModelId = "gpt-4o"; o.SharedBudgets = new SharedBudgetOptions { Store = store, Account = account }; }).Build();

        var first = await new OrderAgent().RunAsync(guarded, Question, new AgentGuardOptions { ModelId = "gpt-4o" });
        var second = await new OrderAgent().RunAsync(guarded, Question, new AgentGuardOptions { ModelId = "gpt-4o" });

        Assert.Equal(AgentRunStatus.Completed, first.Status);
        Assert.Equal(AgentRunStatus.TokenLimitReached, second.Status);
        Assert.Single(model.Requests);
        Assert.Equal(10_100, (await store.GetSpendAsync(account.For("account", "default"), DateTimeOffset.UtcNow)).Spent.Tokens);
    }

    [Fact]
    public async Task GuardsOnBothSidesOfTheToolLoop_ChargeTheSharedBudgetsOnce()
    {
        var store = new InMemoryBudgetStore();
        var account = new ScopeLimits { HardLimitUsd = 100m };
        var tools = new List<AITool> { AIFunctionFactory.Create((int id) => "row " + id, "lookup") };
        var model = new ScriptedChatClient((turn, _) => turn == 1 ? Calls(10_000, 300, ("lookup", Args(("id", 1)))) : Answer("row 1", input: 10_000, output: 300));
        var options = new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxSteps = 2, MaxOutputTokensPerStep = 300 }, WrapUp = WrapUpOptions.Disabled, SharedBudgets = new SharedBudgetOptions { Store = store, Account = account } };
        using var client = new ChatClientBuilder(model).UseAgentGuard(options).UseFunctionInvocation().UseAgentGuard(options).Build();

        var response = await client.GetResponseAsync(Question, new ChatOptions { Tools = tools, MaxOutputTokens = 300 });

        // Two round trips at $0.028 each, counted once; the outer guard does not count the tool loop as a third step.
        Assert.Equal("row 1", response.Text);
        Assert.Equal(0.056m, (await store.GetSpendAsync(account.For("account", "default"), DateTimeOffset.UtcNow)).Spent.Usd);
    }

    [Fact]
    public async Task AStream_IsChargedToTheContextItWasCreatedIn()
    {
        var store = new InMemoryBudgetStore();
        var perUser = new ScopeLimits { HardLimitUsd = 1m };
        var guard = Guard(Model(), new SharedBudgetOptions { Store = store, PerUser = perUser });

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (BudgetContext.Begin(userId: "ada"))
        {
            stream = guard.GetStreamingResponseAsync(Question, new ChatOptions { MaxOutputTokens = 300 });
        }

        await foreach (var _ in stream)
        {
        }

        Assert.Equal(0.028m, (await store.GetSpendAsync(perUser.For("user", "ada"), DateTimeOffset.UtcNow)).Spent.Usd);
    }

    [Fact]
    public async Task AccountCap_IsShared_ByEveryGuardOnTheStore()
    {
        var store = new InMemoryBudgetStore();
        var limits = new ScopeLimits { HardLimitUsd = 0.20m };
        var first = Model();
        var second = Model();
        var a = Guard(first, new SharedBudgetOptions { Store = store, Account = limits });
        var b = Guard(second, new SharedBudgetOptions { Store = store, Account = limits });

        var results = await Task.WhenAll(SpendUntilRefusedAsync(a), SpendUntilRefusedAsync(b));

        Assert.All(results, r => Assert.Equal("account", r!.Scope!.Kind));
        // Each guard's first request is reserved at its estimate (the question's few tokens), later ones at least at the
        // last step's size: together they pass the cap by at most what each first step billed beyond its estimate.
        var spent = (await store.GetSpendAsync(limits.For("account", "default"), DateTimeOffset.UtcNow)).Spent.Usd;
        Assert.True(spent <= 0.20m + (2 * 0.028m), $"spent {spent}");
        Assert.True(spent >= 0.20m - 0.028m, $"spent only {spent}");
        Assert.Equal(spent, a.Lifetime.Ledger.TotalCostUsd + b.Lifetime.Ledger.TotalCostUsd);
    }

    [Fact]
    public async Task PerAgentDailyCap_StopsAGeneratedAgentsRun_WithAStatus_AndStartsAgainNextDay()
    {
        var now = new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero);
        var shared = new SharedBudgetOptions { PerAgent = new ScopeLimits { MaxTotalTokens = 25_000, Period = BudgetPeriod.UtcDay }, Clock = () => now };
        var model = new ScriptedChatClient((_, _) => Answer("done", input: 10_000, output: 100));
        var options = new AgentGuardOptions { ModelId = "gpt-4o", SharedBudgets = shared };

        var first = await new OrderAgent().RunAsync(model, Question, options);
        var second = await new OrderAgent().RunAsync(model, Question, options);
        var third = await new OrderAgent().RunAsync(model, Question, options);
        now = now.AddHours(2);
        var nextDay = await new OrderAgent().RunAsync(model, Question, options);

        Assert.Equal(AgentRunStatus.Completed, first.Status);
        Assert.Equal(AgentRunStatus.Completed, second.Status);
        Assert.Equal(AgentRunStatus.TokenLimitReached, third.Status);
        Assert.Contains("agent 'OrderAgent' per UTC day", third.StopReason, StringComparison.Ordinal);
        Assert.Equal(AgentRunStatus.Completed, nextDay.Status);
        Assert.Equal(3, model.Requests.Count);
    }

    [Fact]
    public async Task UnreachableStore_FailsClosedByDefault_WithoutSendingTheRequest()
    {
        var model = Model();
        var guard = Guard(model, new SharedBudgetOptions { Store = new UnreachableStore(), Account = new ScopeLimits { HardLimitUsd = 100m } });

        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question));

        Assert.Contains("could not be reached", stop.Message, StringComparison.Ordinal);
        Assert.Empty(model.Requests);
        Assert.Equal(0, guard.Lifetime.Ledger.Steps);
    }

    [Fact]
    public async Task UnreachableStore_FailOpen_GoesOnAgainstTheInProcessFallback_WithTheSameLimits()
    {
        var model = Model();
        var shared = new SharedBudgetOptions { Store = new UnreachableStore(), OnStoreFailure = BudgetStoreFailurePolicy.FailOpen, Account = new ScopeLimits { HardLimitUsd = 0.10m } };
        var guard = Guard(model, shared);

        var stop = await SpendUntilRefusedAsync(guard);

        Assert.NotNull(stop);
        Assert.Equal("account", stop!.Scope!.Kind);
        Assert.True(model.Requests.Count is > 0 and <= 3);
        Assert.Equal(guard.Lifetime.Ledger.TotalCostUsd, (await shared.Fallback.GetSpendAsync(shared.Account.For("account", "default"), DateTimeOffset.UtcNow)).Spent.Usd);
    }

    [Fact]
    public async Task AStepThatFailsAfterSending_IsCommittedToTheSharedBudget_AndOneNeverSentIsReleased()
    {
        var store = new InMemoryBudgetStore();
        var limits = new ScopeLimits { HardLimitUsd = 10m };
        var model = Model();
        model.FailWith = new TimeoutException("the provider took too long");
        var guard = Guard(model, new SharedBudgetOptions { Store = store, Account = limits });

        await Assert.ThrowsAsync<TimeoutException>(() => guard.GetResponseAsync(Question));
        model.FailWith = new ArgumentException("invalid request");
        await Assert.ThrowsAsync<ArgumentException>(() => guard.GetResponseAsync(Question));

        var spend = await store.GetSpendAsync(limits.For("account", "default"), DateTimeOffset.UtcNow);
        Assert.True(spend.Spent.Usd > 0m);
        Assert.Equal(guard.Lifetime.Ledger.TotalCostUsd, spend.Spent.Usd);
        Assert.Equal(0, spend.Reservations);
    }

    [Fact]
    public void ScopesFor_TakeTheContextAndTheAgent_AndSkipWhatIsUnknown()
    {
        var shared = new SharedBudgetOptions
        {
            AccountId = "acme-prod",
            Account = new ScopeLimits { HardLimitUsd = 1_000m, Period = BudgetPeriod.UtcMonth },
            PerTenant = new ScopeLimits { HardLimitUsd = 100m },
            PerUser = new ScopeLimits { HardLimitUsd = 5m, Period = BudgetPeriod.UtcDay },
            PerAgent = new ScopeLimits { HardLimitUsd = 50m, Period = BudgetPeriod.UtcDay },
            PerSession = new ScopeLimits { MaxTotalTokens = 200_000 },
        };

        var all = shared.ScopesFor(new BudgetContext("ada", "contoso", "s-1"), "triage");
        var anonymous = shared.ScopesFor(null, null);

        Assert.Equal(new[] { "account:acme-prod", "tenant:contoso", "user:ada", "agent:triage", "session:s-1" }, all.Select(s => s.Kind + ":" + s.Id));
        Assert.Equal("account:acme-prod:2026-12", all[0].KeyAt(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)));
        Assert.Single(anonymous);
    }

    private sealed class UnreachableStore : IBudgetStore
    {
        public ValueTask<BudgetStoreDecision> ReserveAsync(IReadOnlyList<BudgetScope> scopes, BudgetAmount amount, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default)
            => throw new IOException("connection refused (127.0.0.1:6379)");

        public ValueTask CommitAsync(BudgetReservation reservation, BudgetAmount actual, CancellationToken cancellationToken = default) => throw new IOException("connection refused");

        public ValueTask ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken = default) => throw new IOException("connection refused");

        public ValueTask<bool> RenewAsync(BudgetReservation reservation, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("connection refused");

        public ValueTask<ScopeSpend> GetSpendAsync(BudgetScope scope, DateTimeOffset now, CancellationToken cancellationToken = default) => throw new IOException("connection refused");
    }
}
