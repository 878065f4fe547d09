using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Loops a budget, the clock or a timed cancellation token bounds — and a caller's token or a budget never checked, which do not.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task WhileNotCancelled_CallerToken_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class MarketWatcher(IChatClient client)
            {
                public async Task WatchAsync(CancellationToken cancellationToken)
                {
                    {|#0:while|} (!cancellationToken.IsCancellationRequested)
                    {
                        var response = await client.GetResponseAsync("Any news worth acting on?", cancellationToken: cancellationToken);
                        System.Console.WriteLine(response.Text);
                        await Task.Delay(1000, cancellationToken);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task LoopLeftWhenTheGuardRefuses_DoesNotReport()
    {
        // A worker that calls a guarded client until AgentGuard's budget refuses: the budget is the bound.
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class Worker(IChatClient guarded)
            {
                public async Task RunAsync()
                {
                    while (true)
                    {
                        try
                        {
                            var response = await guarded.GetResponseAsync("Next ticket?", new ChatOptions { MaxOutputTokens = 300 });
                            System.Console.WriteLine(response.Text);
                        }
                        catch (BudgetExceededException)
                        {
                            return;
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopLeftOnAnyOtherException_StillReports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Worker(IChatClient client)
            {
                public async Task RunAsync()
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            var response = await client.GetResponseAsync("Next ticket?", new ChatOptions { MaxOutputTokens = 300 });
                            if (response.Text.Contains("DONE")) break;
                        }
                        catch (InvalidOperationException)
                        {
                            return;
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task DeadlineAndTimedToken_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TimeBoxedAgent(IChatClient client)
            {
                public async Task RunAsync()
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < TimeSpan.FromMinutes(2))
                    {
                        var response = await client.GetResponseAsync("Next idea?");
                        if (response.Text.Contains("DONE")) break;
                    }

                    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                    while (true)
                    {
                        var response = await client.GetResponseAsync("Next idea?", cancellationToken: cts.Token);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task TokenFromSourceWithCancelAfter_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TimeBoxedAgent(IChatClient client)
            {
                public async Task RunAsync()
                {
                    using var cts = new CancellationTokenSource();
                    cts.CancelAfter(TimeSpan.FromMinutes(5));
                    var token = cts.Token;
                    while (!token.IsCancellationRequested)
                    {
                        var response = await client.GetResponseAsync("Next idea?", cancellationToken: token);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task TokenFromSourceWithoutTimeout_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public async Task RunAsync()
                {
                    using var cts = new CancellationTokenSource();
                    var token = cts.Token;
                    {|#0:while|} (!token.IsCancellationRequested)
                    {
                        var response = await client.GetResponseAsync("Next idea?", cancellationToken: token);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task BudgetChecks_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class BudgetedAgent(IChatClient client, TestRunBudget budget)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                    while (!budget.IsExhausted)
                    {
                        var response = await client.GetResponseAsync(messages);
                        budget.Record(0.01m);
                        if (response.Text.Contains("DONE")) break;
                    }

                    while (true)
                    {
                        budget.ThrowIfExceeded();
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await LoopTestHelpers.VerifyWithBudgetAsync<UnboundedAgentLoopAnalyzer>(source);
    }

    [Fact]
    public async Task RuntimeBudgetTrackerAndLedger_GuardTheLoop_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class TrackedAgent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages, BudgetTracker budget)
                {
                    while (true)
                    {
                        if (!budget.TryBeginStep("gpt-4o", 0, out var step).IsAllowed)
                        {
                            break;
                        }

                        var response = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 500 });
                        budget.CompleteStep(step, response.ModelId, TokenUsage.FromUsageDetails(response.Usage) ?? default);
                        if (response.Text.Contains("DONE")) return;
                    }
                }

                public async Task SpendCappedAsync(List<ChatMessage> messages, CostLedger ledger)
                {
                    while (ledger.TotalCostUsd < 0.50m)
                    {
                        var response = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 500 });
                        if (response.Text.Contains("DONE")) return;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopThroughBudgetChatClient_GuardStopsIt_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class GuardedAgent(IChatClient inner)
            {
                public async Task<string> RunAsync(List<ChatMessage> messages)
                {
                    var guard = new BudgetChatClient(inner, new AgentGuardOptions { Budget = new BudgetPolicy { MaxSteps = 10 } });
                    while (true)
                    {
                        var response = await guard.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 500 });
                        if (response.Text.Contains("DONE")) return response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task BudgetOnlyRecorded_NeverChecked_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class LeakyAgent(IChatClient client, TestRunBudget budget)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                    {|#0:while|} (true)
                    {
                        var response = await client.GetResponseAsync(messages);
                        budget.Record(0.01m);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await LoopTestHelpers.VerifyWithBudgetAsync<UnboundedAgentLoopAnalyzer>(source, Loop());
    }

    [Fact]
    public async Task TokenBudgetAndElapsedTime_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class MeteredAgent(IChatClient client)
            {
                private const long MaxTokens = 200_000;

                public async Task RunAsync(List<ChatMessage> messages)
                {
                    long spent = 0;
                    while (true)
                    {
                        var response = await client.GetResponseAsync(messages);
                        spent += response.Usage?.TotalTokenCount ?? 0;
                        if (spent > MaxTokens || response.Text.Contains("DONE")) break;
                    }

                    var started = DateTime.UtcNow;
                    while (true)
                    {
                        var elapsed = DateTime.UtcNow - started;
                        if (elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException();
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
