using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedAgentLoopAnalyzerTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Loop(int location = 0)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(location);

    // ------------------------------------------------------------------ positives

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
    public async Task GotoLoop_BackUntilModelSaysDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class LegacyAgent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                next:
                    var response = await client.GetResponseAsync(messages);
                    messages.AddMessages(response);
                    if (!response.Text.Contains("DONE"))
                    {
                        {|#0:goto|} next;
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
    public async Task Recursion_OnToolFailure_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SelfHealingAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string task)
                {
                    var response = await client.GetResponseAsync(task);
                    try
                    {
                        return await ExecuteToolAsync(response.Text);
                    }
                    catch (InvalidOperationException ex)
                    {
                        return await {|#0:RunAsync(task + "\nThe tool failed: " + ex.Message)|};
                    }
                }

                private static Task<string> ExecuteToolAsync(string plan) => Task.FromResult(plan);
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("RunAsync"));
    }

    [Fact]
    public async Task Recursion_UntilModelSaysDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Refiner(IChatClient client)
            {
                public async Task<string> RefineAsync(string draft)
                {
                    var response = await client.GetResponseAsync("Improve this, or reply DONE if it is good: " + draft);
                    if (response.Text == "DONE")
                    {
                        return draft;
                    }

                    return await {|#0:RefineAsync(response.Text)|};
                }
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("RefineAsync"));
    }

    [Fact]
    public async Task MutualRecursion_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class PingPong(IChatClient client)
            {
                public async Task PlanAsync(string goal)
                {
                    var plan = await client.GetResponseAsync("Plan: " + goal);
                    await {|#0:ActAsync(plan.Text)|};
                }

                private async Task ActAsync(string plan)
                {
                    var result = await client.GetResponseAsync("Act: " + plan);
                    if (!result.Text.Contains("DONE"))
                    {
                        await {|#1:PlanAsync(result.Text)|};
                    }
                }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("PlanAsync"),
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(1).WithArguments("ActAsync"));
    }

    [Fact]
    public async Task LocalFunctionRecursion_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Brainstorm
            {
                public static async Task RunAsync(Kernel kernel, KernelFunction expand, string topic)
                {
                    await Next(topic);

                    async Task Next(string idea)
                    {
                        var result = await kernel.InvokeAsync(expand, new KernelArguments { ["idea"] = idea });
                        var text = result.GetValue<string>() ?? "";
                        if (!text.Contains("ENOUGH"))
                        {
                            await {|#0:Next(text)|};
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("Next"));
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
    public async Task FunctionInvokingChatClient_IntMaxValue_Reports()
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

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0)
                .WithArguments("MaximumIterationsPerRequest", "int.MaxValue", "50"));
    }

    [Fact]
    public async Task FunctionInvokingChatClient_AboveConfiguredCeiling_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new FunctionInvokingChatClient(inner) { MaximumIterationsPerRequest = {|#0:20|} };
            }
            """;

        await Verify.VerifyAsync(
            source,
            "AG0001.max_iterations = 10",
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0)
                .WithArguments("MaximumIterationsPerRequest", "20", "10"));
    }

    [Fact]
    public async Task AnthropicToolRunner_WithoutMaxIterations_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Helpers.Beta;
            using Anthropic.Models.Beta.Messages;
            using Anthropic.Services.Beta;

            public sealed class ClaudeAgent(IMessageService messages)
            {
                public async Task<BetaMessage> RunAsync(MessageCreateParams parameters, IReadOnlyList<IBetaRunnableTool> tools)
                {
                    var runner = {|#0:messages.ToolRunner(parameters, tools)|};
                    return await runner.RunUntilDoneAsync();
                }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0)
                .WithArguments("ToolRunner's maxIterations", "unlimited", "50"));
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

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task ConsoleChat_PacedByPerson_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            List<ChatMessage> history = [new(ChatRole.System, "You are a helpful assistant.")];
            while (true)
            {
                Console.Write("> ");
                var input = Console.ReadLine();
                if (input is null or "exit") break;
                history.Add(new ChatMessage(ChatRole.User, input));
                var response = await client.GetResponseAsync(history);
                Console.WriteLine(response.Text);
                history.AddMessages(response);
            }
            """;

        await LoopTestHelpers.VerifyTopLevelAsync<UnboundedAgentLoopAnalyzer>(source);
    }

    [Fact]
    public async Task ConsoleInReadLineAsync_PacedByPerson_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class ChatLoop(IChatCompletionService chat, Kernel kernel)
            {
                public async Task RunAsync()
                {
                    var history = new ChatHistory();
                    string? line;
                    while ((line = await Console.In.ReadLineAsync()) is not null)
                    {
                        history.AddUserMessage(line);
                        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        history.Add(reply);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ChannelWorker_PacedByQueue_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TicketTriageWorker(Channel<string> tickets, IChatClient client)
            {
                public async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var ticket = await tickets.Reader.ReadAsync(stoppingToken);
                        var response = await client.GetResponseAsync("Classify: " + ticket, cancellationToken: stoppingToken);
                        System.Console.WriteLine(response.Text);
                    }
                }

                public async Task DrainAsync(CancellationToken ct)
                {
                    while (await tickets.Reader.WaitToReadAsync(ct))
                    {
                        while (tickets.Reader.TryRead(out var ticket))
                        {
                            await client.GetResponseAsync(ticket, cancellationToken: ct);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task BlockingCollectionAndConcurrentQueue_PacedByQueue_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Concurrent;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Summarizer(IChatClient client)
            {
                private readonly BlockingCollection<string> documents = new();
                private readonly ConcurrentQueue<string> emails = new();

                public async Task RunAsync()
                {
                    while (true)
                    {
                        var document = documents.Take();
                        await client.GetResponseAsync("Summarize: " + document);
                    }
                }

                public async Task PollAsync()
                {
                    while (true)
                    {
                        if (emails.TryDequeue(out var email))
                        {
                            await client.GetResponseAsync("Draft a reply: " + email);
                        }
                        else
                        {
                            await Task.Delay(500);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
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
    public async Task PagingLoop_ExitDependsOnOtherApi_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Page(IReadOnlyList<string> Reviews, string? NextToken);

            public interface IReviewApi
            {
                Task<Page> GetPageAsync(string? token);
            }

            public sealed class ReviewDigest(IReviewApi api, IChatClient client)
            {
                public async Task RunAsync()
                {
                    string? token = null;
                    do
                    {
                        var page = await api.GetPageAsync(token);
                        await client.GetResponseAsync("Summarize: " + string.Join("\n", page.Reviews));
                        token = page.NextToken;
                    }
                    while (token is not null);
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
    public async Task RecursionWithDepthLimit_AndOverTree_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Section(string Text, IReadOnlyList<Section> Children);

            public sealed class Summaries(IChatClient client)
            {
                private const int MaxDepth = 3;

                public async Task<string> DeepenAsync(string idea, int depth = 0)
                {
                    if (depth >= MaxDepth)
                    {
                        return idea;
                    }

                    var response = await client.GetResponseAsync("Deepen: " + idea);
                    return await DeepenAsync(response.Text, depth + 1);
                }

                public async Task<string> SummarizeAsync(Section section)
                {
                    var parts = new List<string>();
                    foreach (var child in section.Children)
                    {
                        parts.Add(await SummarizeAsync(child));
                    }

                    var response = await client.GetResponseAsync("Summarize: " + section.Text + string.Join("\n", parts));
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FunctionInvocationCapWithinCeiling_AndToolRunnerWithCap_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Anthropic.Helpers.Beta;
            using Anthropic.Models.Beta.Messages;
            using Anthropic.Services.Beta;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 20)
                        .Build();

                public static IChatClient CreateDefault(IChatClient inner) => new FunctionInvokingChatClient(inner);

                public static BetaToolRunner Runner(IMessageService messages, MessageCreateParams parameters, IReadOnlyList<IBetaRunnableTool> tools)
                    => messages.ToolRunner(parameters, tools, maxIterations: 10);
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
    public async Task SocketAndBrokerReceive_PacedByOutsideWorld_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Sockets;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class UdpAssistant(UdpClient udp, IChatClient client)
            {
                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var datagram = await udp.ReceiveAsync(ct);
                        var question = Encoding.UTF8.GetString(datagram.Buffer);
                        await client.GetResponseAsync(question, cancellationToken: ct);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task IteratorYieldingEachAnswer_PacedByConsumer_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class IdeaStream(IChatClient client)
            {
                public async IAsyncEnumerable<string> IdeasAsync(string topic)
                {
                    while (true)
                    {
                        var response = await client.GetResponseAsync("Another idea about " + topic);
                        yield return response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
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
    public async Task JobWorker_ModelCallGatedByFetchedJob_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Job(string Id, string Text);

            public interface IJobStore
            {
                Task<Job?> ClaimNextAsync(CancellationToken cancellationToken);
            }

            public sealed class EnrichmentWorker(IJobStore jobs, IChatClient client)
            {
                public async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var job = await jobs.ClaimNextAsync(stoppingToken);
                        if (job is null)
                        {
                            await Task.Delay(5000, stoppingToken);
                            continue;
                        }

                        await client.GetResponseAsync("Enrich: " + job.Text, cancellationToken: stoppingToken);
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

    [Fact]
    public async Task ConfiguredMaxIterationsCeiling_RaisesLimit_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new FunctionInvokingChatClient(inner) { MaximumIterationsPerRequest = 80 };
            }
            """;

        await Verify.VerifyAsync(source, "AG0001.max_iterations = 100");
    }
}
