using AgentGuard.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using static AgentGuard.Tests.Infrastructure.ScriptedChatClient;

namespace AgentGuard.Tests.Scopes;

/// <summary>The account's circuit breaker: a spend ceiling and a spend-rate jump, seen by every guard on the store.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly List<ChatMessage> Question = [new(ChatRole.User, "Where is my order?")];

    private static readonly ChatOptions Capped = new() { MaxOutputTokens = 300 };

    // gpt-4o: 10,000 in + 300 out = $0.028 a request.
    private static ScriptedChatClient Model() => new((_, _) => Answer("hi", input: 10_000, output: 300));

    private static BudgetChatClient Guard(IChatClient model, SharedBudgetOptions shared)
        => new(model, new AgentGuardOptions { ModelId = "gpt-4o", Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 }, SharedBudgets = shared });

    [Fact]
    public async Task Ceiling_TripsForEveryGuardOnTheStore_UntilReset()
    {
        var store = new InMemoryBudgetStore();
        SharedBudgetOptions Shared() => new() { Store = store, Breaker = new CircuitBreakerOptions { CeilingUsd = 0.05m } };
        var first = Guard(Model(), Shared());
        var secondModel = Model();
        var second = Guard(secondModel, Shared());

        await first.GetResponseAsync(Question, Capped);
        await first.GetResponseAsync(Question, Capped); // $0.056: the ceiling is reached
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => second.GetResponseAsync(Question, Capped));

        Assert.Equal(BudgetLimit.CircuitBreaker, stop.Limit);
        Assert.Contains("$0.05 ceiling", stop.Message, StringComparison.Ordinal);
        Assert.Empty(secondModel.Requests);
        Assert.NotNull(await Shared().GetBreakerTripAsync());

        await Shared().ResetBreakerAsync();
        Assert.Null(await Shared().GetBreakerTripAsync());
    }

    [Fact]
    public async Task Ceiling_TripEndsWhenThePeriodRollsOver()
    {
        var now = new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero);
        var shared = new SharedBudgetOptions { Breaker = new CircuitBreakerOptions { CeilingUsd = 0.03m }, Clock = () => now };
        var guard = Guard(Model(), shared);

        await guard.GetResponseAsync(Question, Capped);
        await guard.GetResponseAsync(Question, Capped);
        var stop = await Assert.ThrowsAsync<BudgetExceededException>(() => guard.GetResponseAsync(Question, Capped));
        now = now.AddHours(3);
        await guard.GetResponseAsync(Question, Capped);

        Assert.Contains("2026-12-07 00:00:00Z", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateJump_FarAboveTheTrailingMedian_Trips()
    {
        var now = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var shared = new SharedBudgetOptions
        {
            Breaker = new CircuitBreakerOptions { RateMultiple = 3, Window = TimeSpan.FromMinutes(1), TrailingWindows = 5, MinimumWindowUsd = 0.05m },
            Clock = () => now,
        };
        var guard = Guard(Model(), shared);

        // Five quiet minutes: one request each.
        for (var minute = 0; minute < 5; minute++)
        {
            await guard.GetResponseAsync(Question, Capped);
            now = now.AddMinutes(1);
        }

        // Then a burst: the fourth request in one minute is more than 3× the usual $0.028.
        var served = 0;
        BudgetExceededException? stop = null;
        while (stop is null && served < 20)
        {
            try
            {
                await guard.GetResponseAsync(Question, Capped);
                served++;
            }
            catch (BudgetExceededException ex)
            {
                stop = ex;
            }
        }

        Assert.Equal(4, served);
        Assert.Equal(BudgetLimit.CircuitBreaker, stop!.Limit);
        Assert.Contains("more than 3×", stop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpendRate_TripsOnlyWithAUsualRate_AndAboveTheMinimum()
    {
        var options = new CircuitBreakerOptions { RateMultiple = 10, MinimumWindowUsd = 1m };

        // No usual rate yet (most windows before were empty): a cold start never trips.
        Assert.Null(SpendRate.Exceeded([50m, 0m, 0m, 0.1m], options));
        Assert.Null(SpendRate.Exceeded([0.9m, 0.05m, 0.05m, 0.05m], options));
        Assert.NotNull(SpendRate.Exceeded([1.5m, 0.05m, 0.05m, 0.05m], options));
        Assert.Null(SpendRate.Exceeded([5m, 1m, 0.6m, 0.5m], options));
        Assert.NotNull(SpendRate.Exceeded([7m, 1m, 0.6m, 0.5m], options));
    }
}
