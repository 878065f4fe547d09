using AgentGuard.Analyzers.Loops;
using AgentGuard.CodeFixes.Loops;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer, AgentGuard.CodeFixes.Loops.AddStepLimitCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedAgentLoopCodeFixTests
{
    private static DiagnosticResult Loop(int location)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(location);

    [Fact]
    public async Task WhileTrue_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResearchAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string goal)
                {
                    var draft = goal;
                    // Refine until the model is happy.
                    {|#0:while|} (true)
                    {
                        var response = await client.GetResponseAsync("Improve or say DONE: " + draft);
                        if (response.Text.Contains("DONE"))
                        {
                            return draft;
                        }

                        draft = response.Text;
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResearchAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string goal)
                {
                    var draft = goal;
                    // Refine until the model is happy.
                    const int MaxSteps = 25;
                    var steps = 0;
                    while (true)
                    {
                        if (++steps > MaxSteps)
                        {
                            throw new InvalidOperationException($"The agent loop did not finish within {MaxSteps} steps.");
                        }

                        var response = await client.GetResponseAsync("Improve or say DONE: " + draft);
                        if (response.Text.Contains("DONE"))
                        {
                            return draft;
                        }

                        draft = response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0)], fixedSource, equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }

    [Fact]
    public async Task WhileFlag_CountsInCondition_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class WriterReviewer(IChatCompletionService chat)
            {
                public async Task<string> WriteAsync(string brief)
                {
                    var approved = false;
                    var draft = brief;
                    {|#0:while|} (!approved)
                    {
                        var reply = await chat.GetChatMessageContentAsync("Review and improve, say APPROVED when good: " + draft);
                        draft = reply.Content ?? "";
                        approved = draft.Contains("APPROVED");
                    }

                    return draft;
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class WriterReviewer(IChatCompletionService chat)
            {
                public async Task<string> WriteAsync(string brief)
                {
                    var approved = false;
                    var draft = brief;
                    const int MaxSteps = 25;
                    var steps = 0;
                    while (!approved && steps++ < MaxSteps)
                    {
                        var reply = await chat.GetChatMessageContentAsync("Review and improve, say APPROVED when good: " + draft);
                        draft = reply.Content ?? "";
                        approved = draft.Contains("APPROVED");
                    }

                    return draft;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0)], fixedSource, equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }

    [Fact]
    public async Task DoWhile_ConfiguredMaxSteps_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIAgent(ChatClient client)
            {
                public async Task RunAsync(string task)
                {
                    ChatFinishReason reason;
                    {|#0:do|}
                    {
                        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(task)]);
                        reason = completion.FinishReason;
                    }
                    while (reason != ChatFinishReason.Stop);
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIAgent(ChatClient client)
            {
                public async Task RunAsync(string task)
                {
                    ChatFinishReason reason;
                    const int MaxSteps = 12;
                    var steps = 0;
                    do
                    {
                        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(task)]);
                        reason = completion.FinishReason;
                    }
                    while (reason != ChatFinishReason.Stop && steps++ < MaxSteps);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0)], fixedSource, editorConfig: "AG0001.max_steps = 12", equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }

    [Fact]
    public async Task ForEverWithoutUsingSystem_QualifiesException_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public static class ToolLoop
            {
                public static async Task<ChatResponse> RunAsync(IChatClient client, List<ChatMessage> messages)
                {
                    {|#0:for|} (;;)
                    {
                        var response = await client.GetResponseAsync(messages);
                        if (response.FinishReason == ChatFinishReason.Stop)
                        {
                            return response;
                        }
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public static class ToolLoop
            {
                public static async Task<ChatResponse> RunAsync(IChatClient client, List<ChatMessage> messages)
                {
                    const int MaxSteps = 25;
                    var steps = 0;
                    for (;;)
                    {
                        if (++steps > MaxSteps)
                        {
                            throw new System.InvalidOperationException($"The agent loop did not finish within {MaxSteps} steps.");
                        }

                        var response = await client.GetResponseAsync(messages);
                        if (response.FinishReason == ChatFinishReason.Stop)
                        {
                            return response;
                        }
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0)], fixedSource, equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }

    [Fact]
    public async Task EmbeddedStatementBody_WrappedInBlock_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Nagger(IChatClient client)
            {
                public async Task RunAsync()
                {
                    {|#0:while|} (true)
                        if ((await client.GetResponseAsync("Are we there yet?")).Text == "YES") return;
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Nagger(IChatClient client)
            {
                public async Task RunAsync()
                {
                    const int MaxSteps = 25;
                    var steps = 0;
                    while (true)
                    {
                        if (++steps > MaxSteps)
                        {
                            throw new InvalidOperationException($"The agent loop did not finish within {MaxSteps} steps.");
                        }

                        if ((await client.GetResponseAsync("Are we there yet?")).Text == "YES") return;
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0)], fixedSource, equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }

    [Fact]
    public async Task FunctionInvokingChatClient_SetsCeiling_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = {|#0:int.MaxValue|})
                        .Build();
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 30)
                        .Build();
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0).WithArguments("MaximumIterationsPerRequest", "int.MaxValue", "30")],
            fixedSource,
            editorConfig: "AG0001.max_iterations = 30",
            equivalenceKey: AddStepLimitCodeFixProvider.Key_CapIterations);
    }

    [Fact]
    public async Task AnthropicToolRunner_AddsMaxIterations_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Anthropic.Helpers.Beta;
            using Anthropic.Models.Beta.Messages;
            using Anthropic.Services.Beta;

            public static class Runners
            {
                public static BetaToolRunner Create(IMessageService messages, MessageCreateParams parameters, IReadOnlyList<IBetaRunnableTool> tools)
                    => {|#0:messages.ToolRunner(parameters, tools)|};
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Anthropic.Helpers.Beta;
            using Anthropic.Models.Beta.Messages;
            using Anthropic.Services.Beta;

            public static class Runners
            {
                public static BetaToolRunner Create(IMessageService messages, MessageCreateParams parameters, IReadOnlyList<IBetaRunnableTool> tools)
                    => messages.ToolRunner(parameters, tools, maxIterations: 50);
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0).WithArguments("ToolRunner's maxIterations", "unlimited", "50")],
            fixedSource,
            equivalenceKey: AddStepLimitCodeFixProvider.Key_CapIterations);
    }

    [Fact]
    public async Task TwoLoopsInOneDocument_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TwoAgents(IChatClient client)
            {
                public async Task PlanAsync()
                {
                    var done = false;
                    {|#0:while|} (!done)
                    {
                        done = (await client.GetResponseAsync("Plan the next step")).Text == "DONE";
                    }

                    {|#1:while|} (true)
                    {
                        var text = (await client.GetResponseAsync("Check the plan")).Text;
                        if (text == "OK") break;
                    }
                }

                public async Task ActAsync()
                {
                    {|#2:while|} (true)
                    {
                        var text = (await client.GetResponseAsync("Act")).Text;
                        if (text == "DONE") return;
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TwoAgents(IChatClient client)
            {
                public async Task PlanAsync()
                {
                    var done = false;
                    const int MaxSteps = 25;
                    var steps = 0;
                    while (!done && steps++ < MaxSteps)
                    {
                        done = (await client.GetResponseAsync("Plan the next step")).Text == "DONE";
                    }

                    const int MaxSteps2 = 25;
                    var steps2 = 0;
                    while (true)
                    {
                        if (++steps2 > MaxSteps2)
                        {
                            throw new InvalidOperationException($"The agent loop did not finish within {MaxSteps2} steps.");
                        }

                        var text = (await client.GetResponseAsync("Check the plan")).Text;
                        if (text == "OK") break;
                    }
                }

                public async Task ActAsync()
                {
                    const int MaxSteps = 25;
                    var steps = 0;
                    while (true)
                    {
                        if (++steps > MaxSteps)
                        {
                            throw new InvalidOperationException($"The agent loop did not finish within {MaxSteps} steps.");
                        }

                        var text = (await client.GetResponseAsync("Act")).Text;
                        if (text == "DONE") return;
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Loop(0), Loop(1), Loop(2)], fixedSource, equivalenceKey: AddStepLimitCodeFixProvider.Key_AddStepLimit);
    }
}
