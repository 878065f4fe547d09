using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Loops a counter bounds (in the condition, in the body, in an exception filter, a growing collection) — and numbers that only look like one.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task TaskQueueRefilledFromModel_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TaskListAgent(IChatClient client)
            {
                public async Task RunAsync(string objective)
                {
                    var tasks = new Queue<string>();
                    tasks.Enqueue(objective);
                    {|#0:while|} (tasks.Count > 0)
                    {
                        var task = tasks.Dequeue();
                        var response = await client.GetResponseAsync("Do this, then list follow-up tasks one per line: " + task);
                        foreach (var line in response.Text.Split('\n'))
                        {
                            tasks.Enqueue(line);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task StepCounterInCondition_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class BoundedAgent(IChatClient client)
            {
                private const int MaxSteps = 10;

                public async Task RunAsync(List<ChatMessage> messages, int n)
                {
                    var step = 0;
                    var done = false;
                    while (!done && step < MaxSteps)
                    {
                        var response = await client.GetResponseAsync(messages);
                        done = response.Text.Contains("DONE");
                        step++;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        var response = await client.GetResponseAsync(messages);
                        if (response.FinishReason == ChatFinishReason.Stop) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task StepGuardInBody_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class GuardedAgent(IChatClient client)
            {
                public async Task<string> RunAsync(List<ChatMessage> messages, int maxSteps)
                {
                    var steps = 0;
                    while (true)
                    {
                        if (++steps > maxSteps) break;
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) return response.Text;
                    }

                    var turns = 0;
                    do
                    {
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) break;
                        turns++;
                        if (turns >= maxSteps)
                        {
                            throw new InvalidOperationException("The agent did not finish.");
                        }
                    }
                    while (true);

                    var attempts = 0;
                    while (true)
                    {
                        ArgumentOutOfRangeException.ThrowIfGreaterThan(++attempts, maxSteps);
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) return response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ExceptionFilterCounter_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResilientCaller(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            var response = await client.GetResponseAsync(question);
                            if (response.Text.Length > 0) return response.Text;
                        }
                        catch (HttpRequestException) when (attempt++ < 3)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(attempt));
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task QueueDrainedWithoutRefill_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Drainer(IChatClient client)
            {
                public async Task RunAsync(IEnumerable<string> pending)
                {
                    var work = new Queue<string>(pending);
                    while (work.Count > 0)
                    {
                        var item = work.Dequeue();
                        await client.GetResponseAsync("Tag: " + item);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task CollectingUntilEnoughResults_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class IdeaCollector(IChatClient client)
            {
                public async Task<List<string>> CollectAsync()
                {
                    var ideas = new List<string>();
                    while (ideas.Count < 10)
                    {
                        var response = await client.GetResponseAsync("One more product name idea");
                        ideas.Add(response.Text);
                    }

                    return ideas;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ScoreFromModelBelowThreshold_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Evaluation(int Score, string Feedback);

            public sealed class EvaluatorOptimizer(IChatClient client)
            {
                public async Task<string> OptimizeAsync(string draft)
                {
                    var score = 0;
                    {|#0:while|} (score < 8)
                    {
                        var evaluation = await client.GetResponseAsync<Evaluation>("Score 1-10 and give feedback: " + draft);
                        score = evaluation.Result.Score;
                        draft = (await client.GetResponseAsync("Rewrite using this feedback: " + evaluation.Result.Feedback)).Text;
                    }

                    return draft;
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task RunsOnce_DoWhileFalseAndUnconditionalBreak_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Once(IChatClient client)
            {
                public async Task RunAsync()
                {
                    do
                    {
                        var response = await client.GetResponseAsync("Hello");
                        if (response.Text.Length == 0) break;
                    }
                    while (false);

                    while (true)
                    {
                        await client.GetResponseAsync("Hello again");
                        break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
