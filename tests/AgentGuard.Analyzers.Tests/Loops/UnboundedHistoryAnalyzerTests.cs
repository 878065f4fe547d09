using AgentGuard.Analyzers.Loops;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedHistoryAnalyzerTests
{
    private static DiagnosticResult History(string name, int location = 0)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(location).WithArguments(name);

    // ------------------------------------------------------------------ positives

    [Fact]
    public async Task ConsoleChat_HistoryOnlyGrows_Reports()
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
                var response = await client.GetResponseAsync({|#0:history|});
                Console.WriteLine(response.Text);
                history.AddMessages(response);
            }
            """;

        await LoopTestHelpers.VerifyTopLevelAsync<UnboundedHistoryAnalyzer>(source, History("history"));
    }

    [Fact]
    public async Task AgentLoop_AppendsResponsesAndToolResults_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResearchAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string goal)
                {
                    var messages = new List<ChatMessage> { new(ChatRole.System, "Research, then answer."), new(ChatRole.User, goal) };
                    for (var step = 0; step < 25; step++)
                    {
                        var response = await client.GetResponseAsync({|#0:messages|}, new ChatOptions { MaxOutputTokens = 500 });
                        messages.AddMessages(response);
                        if (response.FinishReason == ChatFinishReason.Stop) return response.Text;
                        messages.Add(new ChatMessage(ChatRole.User, "Continue."));
                    }

                    return "";
                }
            }
            """;

        await Verify.VerifyAsync(source, History("messages"));
    }

    [Fact]
    public async Task SemanticKernelChatHistory_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class SkChat(IChatCompletionService chat, Kernel kernel)
            {
                public async Task RunAsync()
                {
                    var history = new ChatHistory("You are a travel agent.");
                    while (Console.ReadLine() is { } line)
                    {
                        history.AddUserMessage(line);
                        var reply = await chat.GetChatMessageContentAsync({|#0:history|}, kernel: kernel);
                        history.Add(reply);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, History("history"));
    }

    [Fact]
    public async Task OpenAISdkMessages_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIChat(ChatClient client)
            {
                public async Task RunAsync(IEnumerable<string> questions)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("Answer briefly.")];
                    foreach (var question in questions)
                    {
                        messages.Add(new UserChatMessage(question));
                        ChatCompletion completion = await client.CompleteChatAsync({|#0:messages|});
                        messages.Add(new AssistantChatMessage(completion));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, History("messages"));
    }

    [Fact]
    public async Task FieldHistoryAppendedThroughHelper_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class OrderSupportSession(IChatClient client)
            {
                private readonly List<ChatMessage> conversation = [new(ChatRole.System, "You help with eShop orders.")];

                public async Task HandleAsync(IAsyncEnumerable<string> customerMessages)
                {
                    await foreach (var text in customerMessages)
                    {
                        Remember(ChatRole.User, text);
                        var response = await client.GetResponseAsync({|#0:conversation|});
                        Remember(ChatRole.Assistant, response.Text);
                    }
                }

                private void Remember(ChatRole role, string text) => conversation.Add(new ChatMessage(role, text));
            }
            """;

        await Verify.VerifyAsync(source, History("conversation"));
    }

    [Fact]
    public async Task HistoryPassedToModelThroughHelper_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Tutor(IChatClient client)
            {
                public async Task TeachAsync(List<ChatMessage> lesson)
                {
                    var done = false;
                    do
                    {
                        var answer = await AskAsync({|#0:lesson|});
                        lesson.Add(new ChatMessage(ChatRole.Assistant, answer));
                        lesson.Add(new ChatMessage(ChatRole.User, "Next exercise, please."));
                        done = answer.Contains("COURSE COMPLETE");
                    }
                    while (!done);
                }

                private async Task<string> AskAsync(IList<ChatMessage> messages) => (await client.GetResponseAsync(messages)).Text;
            }
            """;

        await Verify.VerifyAsync(source, History("lesson"));
    }

    [Fact]
    public async Task CopyOfHistorySent_StringBuilderCleared_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using System.Text;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Narrator(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> story, int chapters)
                {
                    var buffer = new StringBuilder();
                    for (var chapter = 0; chapter < chapters; chapter++)
                    {
                        buffer.Clear();
                        await foreach (var update in client.GetStreamingResponseAsync({|#0:story|}.ToList()))
                        {
                            buffer.Append(update.Text);
                        }

                        story.Add(new ChatMessage(ChatRole.Assistant, buffer.ToString()));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, History("story"));
    }

    [Fact]
    public async Task InsertIntoHistory_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Reminder(IChatClient client)
            {
                public async Task RunAsync(IList<ChatMessage> messages)
                {
                    while (true)
                    {
                        var response = await client.GetResponseAsync({|#0:messages|});
                        if (response.Text.Contains("DONE")) break;
                        messages.Insert(messages.Count, new ChatMessage(ChatRole.User, "Keep going: " + response.Text));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, History("messages"));
    }

    [Fact]
    public async Task ConfiguredGatewayMethod_SendsGrowingTranscript_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;

            namespace Contoso.Ai
            {
                public sealed record Turn(string Role, string Text);

                public sealed class LlmGateway
                {
                    public Task<string> ChatAsync(IReadOnlyList<Turn> transcript) => Task.FromResult("");
                }

                public sealed class Concierge(LlmGateway gateway)
                {
                    public async Task RunAsync(IEnumerable<string> requests)
                    {
                        var transcript = new List<Turn>();
                        foreach (var request in requests)
                        {
                            transcript.Add(new Turn("user", request));
                            transcript.Add(new Turn("assistant", await gateway.ChatAsync({|#0:transcript|})));
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, "agentguard.model_call_methods = Contoso.Ai.LlmGateway.ChatAsync", History("transcript"));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task TrimToRecentInLoop_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class TrimmedChat(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> history)
                {
                    while (Console.ReadLine() is { } input)
                    {
                        history.Add(new ChatMessage(ChatRole.User, input));
                        history.TrimToRecent(20);
                        var response = await client.GetResponseAsync(history);
                        history.AddMessages(response);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task RemoveRangeWhenTooLong_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class WindowedChat(IChatCompletionService chat)
            {
                public async Task RunAsync(ChatHistory history, string[] prompts)
                {
                    foreach (var prompt in prompts)
                    {
                        history.AddUserMessage(prompt);
                        if (history.Count > 30)
                        {
                            history.RemoveRange(1, history.Count - 21);
                        }

                        history.Add(await chat.GetChatMessageContentAsync(history));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReassignedFromTakeLast_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SlidingWindow(IChatClient client)
            {
                public async Task RunAsync(string[] questions)
                {
                    var messages = new List<ChatMessage>();
                    foreach (var question in questions)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, question));
                        var response = await client.GetResponseAsync(messages);
                        messages.AddMessages(response);
                        messages = messages.TakeLast(10).ToList();
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FreshListEachIteration_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Classifier(IChatClient client)
            {
                public async Task RunAsync(IEnumerable<string> tickets)
                {
                    foreach (var ticket in tickets)
                    {
                        var messages = new List<ChatMessage> { new(ChatRole.System, "Classify the ticket.") };
                        messages.Add(new ChatMessage(ChatRole.User, ticket));
                        await client.GetResponseAsync(messages);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task OnlyRecentMessagesSent_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class RecentOnly(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> transcript)
                {
                    while (Console.ReadLine() is { } input)
                    {
                        transcript.Add(new ChatMessage(ChatRole.User, input));
                        var response = await client.GetResponseAsync(transcript.TakeLast(12));
                        transcript.AddMessages(response);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReducerReplacesHistory_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class ReducedChat(IChatCompletionService chat, IChatHistoryReducer reducer)
            {
                public async Task RunAsync()
                {
                    var history = new ChatHistory();
                    while (Console.ReadLine() is { } input)
                    {
                        history.AddUserMessage(input);
                        var reduced = await reducer.ReduceAsync(history);
                        if (reduced is not null)
                        {
                            history = new ChatHistory(reduced);
                        }

                        history.Add(await chat.GetChatMessageContentAsync(history));
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FixedPromptNotAppended_AndOtherListAppended_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Poller(IChatClient client)
            {
                public async Task RunAsync(int rounds)
                {
                    var prompt = new List<ChatMessage> { new(ChatRole.User, "Anything new?") };
                    var log = new List<string>();
                    for (var i = 0; i < rounds; i++)
                    {
                        var response = await client.GetResponseAsync(prompt);
                        log.Add(response.Text);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ClearedEachTurn_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Stateless(IChatClient client)
            {
                private readonly List<ChatMessage> turn = new();

                public async Task RunAsync()
                {
                    while (Console.ReadLine() is { } input)
                    {
                        turn.Clear();
                        turn.Add(new ChatMessage(ChatRole.User, input));
                        Console.WriteLine((await client.GetResponseAsync(turn)).Text);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task TrimmedThroughOwnHelper_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class WindowedAgent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                    while (Console.ReadLine() is { } input)
                    {
                        messages.Add(new ChatMessage(ChatRole.User, input));
                        KeepWindow(messages);
                        messages.AddMessages(await client.GetResponseAsync(messages));
                    }
                }

                private static void KeepWindow(List<ChatMessage> messages)
                {
                    while (messages.Count > 16)
                    {
                        messages.RemoveAt(1);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    private const string ShortBoundedLoop = /* lang=c#-test */ """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public sealed class Planner(IChatClient client)
        {
            public async Task<string> PlanAsync(string goal)
            {
                var messages = new List<ChatMessage> { new(ChatRole.System, "Plan in a few steps."), new(ChatRole.User, goal) };
                for (var step = 0; step < 8; step++)
                {
                    var response = await client.GetResponseAsync({|#0:messages|}, new ChatOptions { MaxOutputTokens = 500 });
                    messages.AddMessages(response);
                    if (response.FinishReason == ChatFinishReason.Stop) return response.Text;
                }

                return "";
            }
        }
        """;

    [Fact]
    public async Task FewStepLoop_HistoryFitsWhatTheFixKeeps_DoesNotReport()
    {
        await Verify.VerifyAsync(ShortBoundedLoop.Replace("{|#0:", string.Empty, StringComparison.Ordinal).Replace("|}", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FewStepLoop_SmallerConfiguredHistory_Reports()
    {
        await Verify.VerifyAsync(ShortBoundedLoop, "AG0005.max_messages = 10", History("messages"));
    }

    [Fact]
    public async Task DomainRecordsGivenToAPromptBuildingHelper_DoesNotReport()
    {
        // The helper renders the records into a fresh prompt each time: the list is data, not a resent history.
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record TicketMessage(string Author, string Text);

            public sealed class TicketSimulator(IChatClient client)
            {
                public async Task RunAsync(List<TicketMessage> thread, int turns)
                {
                    for (var i = 0; i < turns; i++)
                    {
                        var reply = await NextCustomerMessageAsync(thread);
                        thread.Add(new TicketMessage("customer", reply));
                    }
                }

                private async Task<string> NextCustomerMessageAsync(List<TicketMessage> thread)
                {
                    var prompt = "Write the customer's next message in this thread: " + string.Join("\n", thread);
                    var response = await client.GetResponseAsync(prompt, new ChatOptions { MaxOutputTokens = 200 });
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ChatMessagesGivenToAHelperThatCallsTheModel_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public async Task RunAsync()
                {
                    var history = new List<ChatMessage>();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.Add(new ChatMessage(ChatRole.User, line));
                        history.Add(new ChatMessage(ChatRole.Assistant, await AskAsync({|#0:history|})));
                    }
                }

                private async Task<string> AskAsync(List<ChatMessage> messages)
                    => (await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 200 })).Text;
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("history"));
    }

    [Fact]
    public async Task HistorySentThroughAClientThatKeepsRecentMessages_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient inner)
            {
                public async Task RunAsync()
                {
                    var client = inner.AsBuilder().UseRecentMessages(20).Build();
                    var history = new List<ChatMessage>();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.Add(new ChatMessage(ChatRole.User, line));
                        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 200 });
                        history.AddMessages(response);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
