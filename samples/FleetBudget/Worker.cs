using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard;
using AgentGuard.Redis;
using Microsoft.Extensions.AI;
using StackExchange.Redis;

namespace FleetBudget;

/// <summary>One process of the fleet: a guarded client whose calls must fit the agent's shared daily cap.</summary>
public static class Worker
{
    /// <summary>The agent's daily cap, shared by every process.</summary>
    public const decimal DailyCapUsd = 0.50m;

    /// <summary>How long the store holds a reservation nobody renews.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(6);

    /// <summary>Calls the model until the shared budget refuses; with <paramref name="hang"/>, makes one call that never returns.</summary>
    public static async Task<int> RunAsync(string server, string agent, string name, bool hang)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(server);
        IChatClient client = new ChatClientBuilder(new ScriptedModel(hang))
            .UseAgentGuard(o =>
            {
                o.ModelId = "gpt-4o";
                o.AgentName = agent;
                o.Budget = new BudgetPolicy { MaxOutputTokensPerStep = 300 };
                o.SharedBudgets = new SharedBudgetOptions
                {
                    Store = new RedisBudgetStore(connection),
                    PerAgent = new ScopeLimits { HardLimitUsd = DailyCapUsd, Period = BudgetPeriod.UtcDay },
                    Lease = Lease,
                };
            })
            .Build();

        // A work queue of 100 tickets: far more than the shared daily cap pays for.
        var calls = 0;
        for (var ticket = 1; ticket <= 100; ticket++)
        {
            try
            {
                await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Summarise ticket #" + ticket)], new ChatOptions { MaxOutputTokens = 300 });
                calls++;
                Console.WriteLine($"  {name}: ticket {ticket} done");
            }
            catch (BudgetExceededException stop)
            {
                Console.WriteLine($"  {name}: stopped after {calls} calls — {stop.Message}");
                return 0;
            }
        }

        Console.WriteLine($"  {name}: the queue is empty after {calls} calls");
        return 0;
    }

    // A model that takes 50 ms and bills 10,000 input and 300 output tokens ($0.028 on gpt-4o); a hanging one never answers.
    private sealed class ScriptedModel(bool hang) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(hang ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(50), cancellationToken);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Summary."))
            {
                ModelId = options?.ModelId,
                Usage = new UsageDetails { InputTokenCount = 10_000, OutputTokenCount = 300, TotalTokenCount = 10_300 },
            };
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
