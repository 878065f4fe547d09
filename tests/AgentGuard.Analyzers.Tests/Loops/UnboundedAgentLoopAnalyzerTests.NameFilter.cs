using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>
/// AG0001 — the name filter that keeps reachability to agent code loses no path the exact analysis follows: model
/// calls reached through local functions declared around a loop, other files, explicit interface implementations,
/// constructors' helpers and accessors, and pacing helpers still judged; a loop whose callees only share a name with
/// a model call's caller is not.
/// </summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task ModelCallThroughLocalFunctionDeclaredAroundTheLoop_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> history)
                {
                    async Task<string> Think() => await Ask();
                    Task<string> Ask() => Step();
                    async Task<string> Step() => (await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 100 })).Text;

                    {|#0:while|} (true)
                    {
                        if ((await Think()).Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ModelCallInAnotherFile_ThroughTwoHelpers_Reports()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    ("/Agent.cs", /* lang=c#-test */ """
                        using System.Threading.Tasks;

                        public sealed class Agent(Planner planner)
                        {
                            public async Task RunAsync()
                            {
                                {|#0:while|} (true)
                                {
                                    if (await planner.NextAsync() == "STOP") return;
                                }
                            }
                        }
                        """),
                    ("/Planner.cs", /* lang=c#-test */ """
                        using System.Collections.Generic;
                        using System.Threading.Tasks;
                        using Microsoft.Extensions.AI;

                        public sealed class Planner(IChatClient client)
                        {
                            private readonly List<ChatMessage> history = new();

                            public Task<string> NextAsync() => DecideAsync();

                            private async Task<string> DecideAsync()
                                => (await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 100 })).Text;
                        }
                        """),
                },
            },
        };
        test.ExpectedDiagnostics.Add(Loop());
        await test.RunAsync();
    }

    [Fact]
    public async Task ModelCallThroughExplicitInterfaceImplementation_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public interface IStep
            {
                Task<string> NextAsync();
            }

            public sealed class ModelStep(IChatClient client) : IStep
            {
                async Task<string> IStep.NextAsync()
                    => (await client.GetResponseAsync(new List<ChatMessage>(), new ChatOptions { MaxOutputTokens = 100 })).Text;
            }

            public sealed class Agent(ModelStep step)
            {
                public async Task RunAsync()
                {
                    {|#0:while|} (true)
                    {
                        if (await Next(step) == "STOP") return;
                    }
                }

                private static Task<string> Next(IStep step) => Call(step);

                private static Task<string> Call(IStep step) => ((IStep)step).NextAsync();
            }
            """;

        // The interface method has no body of its own: the call through it is not followed, as before the filter.
        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopPacedByPersonThroughHelperInAnotherType_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public static class Terminal
            {
                public static string? Prompt() => Read();

                private static string? Read() => Console.ReadLine();
            }

            public sealed class Chat(IChatClient client)
            {
                public async Task RunAsync()
                {
                    var history = new List<ChatMessage>();
                    while (true)
                    {
                        var line = Terminal.Prompt();
                        history.Add(new ChatMessage(ChatRole.User, line));
                        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 100 });
                        if (response.Text.Contains("BYE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopCallingAMethodThatOnlySharesANameWithAnAgentHelper_DoesNotReport()
    {
        // Both helpers are called StepAsync: the filter merges them (it cannot tell them apart by name), the exact
        // analysis does not, and the loop that calls the one with no model call stays quiet.
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public async Task<string> StepAsync(List<ChatMessage> history)
                    => (await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 100 })).Text;
            }

            public sealed class Poller
            {
                private int ticks;

                public Task<string> StepAsync() => Task.FromResult(++ticks > 3 ? "DONE" : "");

                public async Task RunAsync()
                {
                    while (true)
                    {
                        if (await StepAsync() == "DONE") break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ModelCallInPropertyGetterHelper_ThroughMethod_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                private readonly List<ChatMessage> history = new();

                private Task<ChatResponse> Pending => Ask();

                private Task<ChatResponse> Ask() => client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 100 });

                public async Task RunAsync()
                {
                    {|#0:while|} (true)
                    {
                        var response = await Ask();
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task MutualRecursion_WhoseCalleeReachesTheModelOnlyThroughTheCaller_Reports()
    {
        // PlanAsync reaches the model three calls deep; ActAsync only through PlanAsync, one call deeper than the
        // search goes. The recursion is reported where PlanAsync calls ActAsync.
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class PingPong(IChatClient client)
            {
                public async Task PlanAsync(string goal)
                {
                    var thought = await ThinkAsync(goal);
                    await {|#0:ActAsync(thought)|};
                }

                private Task<string> ThinkAsync(string goal) => AskAsync("Plan: " + goal);

                private async Task<string> AskAsync(string prompt)
                    => (await client.GetResponseAsync(prompt, new ChatOptions { MaxOutputTokens = 100 })).Text;

                private async Task ActAsync(string plan)
                {
                    await Task.Yield();
                    await PlanAsync(plan);
                }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("PlanAsync"));
    }
}
