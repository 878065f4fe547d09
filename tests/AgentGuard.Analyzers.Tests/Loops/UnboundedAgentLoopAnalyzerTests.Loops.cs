using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Loops the model drives: <c>while</c>, <c>do</c>, <c>for</c> that reach a model call directly or through helpers, and the loops that call none.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task WhileTrue_EndsWhenTextContainsDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResearchAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string goal)
                {
                    var messages = new List<ChatMessage> { new(ChatRole.System, "Work until the task is finished, then say DONE."), new(ChatRole.User, goal) };
                    {|#0:while|} (true)
                    {
                        var response = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 500 });
                        messages.AddMessages(response);
                        if (response.Text.Contains("DONE"))
                        {
                            return response.Text;
                        }

                        messages.Add(new ChatMessage(ChatRole.User, "Continue."));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task DoWhile_FlagSetFromResponse_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Planner(IChatClient client)
            {
                public async Task PlanAsync(List<ChatMessage> messages)
                {
                    var done = false;
                    {|#0:do|}
                    {
                        var response = await client.GetResponseAsync(messages);
                        messages.AddMessages(response);
                        done = response.Text.EndsWith("FINAL ANSWER", System.StringComparison.Ordinal);
                    }
                    while (!done);
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ForEver_EndsOnFinishReason_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public static class ToolLoop
            {
                public static async Task<ChatResponse> RunAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options)
                {
                    {|#0:for|} (;;)
                    {
                        var response = await client.GetResponseAsync(messages, options);
                        messages.AddMessages(response);
                        if (response.FinishReason == ChatFinishReason.Stop)
                        {
                            return response;
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ManualToolLoop_ContinuesWhileModelCallsTools_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CatalogAssistant(IChatClient client)
            {
                public async Task<string> AnswerAsync(List<ChatMessage> history, ChatOptions options)
                {
                    {|#0:while|} (true)
                    {
                        var response = await client.GetResponseAsync(history, options);
                        history.AddMessages(response);
                        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
                        if (calls.Count > 0)
                        {
                            foreach (var call in calls)
                            {
                                history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "ok")]));
                            }

                            continue;
                        }

                        return response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task SemanticKernelLoop_FlagFromReply_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class WriterReviewer(IChatCompletionService chat, Kernel kernel)
            {
                public async Task<string> WriteAsync(string brief)
                {
                    var history = new ChatHistory("You write, then review your own draft.");
                    history.AddUserMessage(brief);
                    var approved = false;
                    var draft = "";
                    {|#0:while|} (!approved)
                    {
                        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        draft = reply.Content ?? "";
                        history.Add(reply);
                        approved = draft.Contains("APPROVED");
                    }

                    return draft;
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task OpenAISdkLoop_UntilFinishReasonStop_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIAgent(ChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                    ChatFinishReason reason;
                    {|#0:do|}
                    {
                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(completion));
                        reason = completion.FinishReason;
                    }
                    while (reason != ChatFinishReason.Stop);
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ModelCallThroughHelperMethod_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SupportAgent(IChatClient client)
            {
                private readonly List<ChatMessage> history = new();

                public async Task RunAsync()
                {
                    string reply;
                    {|#0:while|} (true)
                    {
                        reply = await StepAsync();
                        if (reply.StartsWith("RESOLVED", System.StringComparison.Ordinal))
                        {
                            break;
                        }
                    }
                }

                private async Task<string> StepAsync() => (await AskAsync()).Text;

                private Task<ChatResponse> AskAsync() => client.GetResponseAsync(history);
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ModelCallInLocalFunction_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public static class Program
            {
                public static async Task Main()
                {
                    IChatClient client = null!;
                    var messages = new List<ChatMessage>();
                    {|#0:while|} (true)
                    {
                        var text = await Ask();
                        if (text == "STOP") break;
                    }

                    async Task<string> Ask() => (await client.GetResponseAsync(messages)).Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task KernelInvokeFunctionLoop_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public sealed class KernelAgent(Kernel kernel, KernelFunction solve)
            {
                public async Task<string> SolveAsync(string problem)
                {
                    var answer = "";
                    {|#0:while|} (!answer.StartsWith("SOLVED", System.StringComparison.Ordinal))
                    {
                        var result = await kernel.InvokeAsync(solve, new KernelArguments { ["problem"] = problem, ["progress"] = answer });
                        answer = result.ToString();
                    }

                    return answer;
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }

    [Fact]
    public async Task ConfiguredGatewayMethod_CountsAsModelCall_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;

            namespace Contoso.Ai
            {
                public sealed class LlmGateway
                {
                    public Task<string> CompleteAsync(string prompt) => Task.FromResult(prompt);
                }

                public sealed class Agent(LlmGateway gateway)
                {
                    public async Task RunAsync(string goal)
                    {
                        var answer = "";
                        {|#0:while|} (!answer.Contains("DONE"))
                        {
                            answer = await gateway.CompleteAsync(goal + answer);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, "agentguard.model_call_methods = Contoso.Ai.LlmGateway.CompleteAsync", Loop());
    }

    [Fact]
    public async Task ConfiguredGatewayWithoutAnyModelPackage_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;

            public sealed class HttpLlm
            {
                public Task<string> SendAsync(string prompt) => Task.FromResult(prompt);
            }

            public sealed class Agent(HttpLlm llm)
            {
                public async Task RunAsync()
                {
                    {|#0:for|} (;;)
                    {
                        if ((await llm.SendAsync("next")).EndsWith("DONE", System.StringComparison.Ordinal)) return;
                    }
                }
            }
            """;

        var test = new Infrastructure.CSharpAnalyzerVerifier<UnboundedAgentLoopAnalyzer>.Test
        {
            TestCode = source,
            ReferenceAssemblies = Infrastructure.TestReferences.Plain,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nagentguard.model_call_methods = HttpLlm.SendAsync\n"));
        test.ExpectedDiagnostics.Add(Loop());
        await test.RunAsync();
    }

    [Fact]
    public async Task NoModelApiReferenced_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;

            public sealed class Poller
            {
                public async Task RunAsync()
                {
                    while (true)
                    {
                        await Task.Delay(1000);
                    }
                }
            }
            """;

        var test = new Infrastructure.CSharpAnalyzerVerifier<UnboundedAgentLoopAnalyzer>.Test
        {
            TestCode = source,
            ReferenceAssemblies = Infrastructure.TestReferences.Plain,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task ForEachOverCollection_AndAwaitForEachOverStream_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class BatchSummarizer(IChatClient client)
            {
                public async Task<List<string>> SummarizeAsync(IReadOnlyList<string> documents)
                {
                    var summaries = new List<string>();
                    foreach (var document in documents)
                    {
                        var response = await client.GetResponseAsync("Summarize: " + document);
                        summaries.Add(response.Text);
                    }

                    var text = new StringBuilder();
                    await foreach (var update in client.GetStreamingResponseAsync("Write a haiku"))
                    {
                        text.Append(update.Text);
                    }

                    return summaries;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task RetryLoop_ReportedAsAG0006Only_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class RetryingCaller(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopWithoutModelCall_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Heartbeat(IChatClient client)
            {
                public IChatClient Client { get; } = client;

                public async Task RunAsync()
                {
                    while (true)
                    {
                        System.Console.WriteLine("alive");
                        await Task.Delay(1000);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
