using AgentGuard.Analyzers.Loops;
using AgentGuard.CodeFixes.Loops;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer, AgentGuard.CodeFixes.Loops.TrimHistoryCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedHistoryCodeFixTests
{
    private static DiagnosticResult History(int location, string name)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(location).WithArguments(name);

    [Fact]
    public async Task ChatMessageList_TrimToRecentAndUsing_Fixes()
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
                    var history = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };
                    while (Console.ReadLine() is { } input)
                    {
                        history.Add(new ChatMessage(ChatRole.User, input));
                        // Ask the model.
                        var response = await client.GetResponseAsync({|#0:history|});
                        history.AddMessages(response);
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public async Task RunAsync()
                {
                    var history = new List<ChatMessage> { new(ChatRole.System, "You are a helpful assistant.") };
                    const int MaxHistoryMessages = 20;
                    while (Console.ReadLine() is { } input)
                    {
                        history.Add(new ChatMessage(ChatRole.User, input));
                        // Ask the model.
                        history.TrimToRecent(MaxHistoryMessages);
                        var response = await client.GetResponseAsync(history);
                        history.AddMessages(response);
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [History(0, "history")], fixedSource, equivalenceKey: TrimHistoryCodeFixProvider.Key_TrimHistory);
    }

    [Fact]
    public async Task SemanticKernelChatHistory_InlineTrim_ConfiguredLimit_Fixes()
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

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class SkChat(IChatCompletionService chat, Kernel kernel)
            {
                public async Task RunAsync()
                {
                    var history = new ChatHistory("You are a travel agent.");
                    const int MaxHistoryMessages = 8;
                    while (Console.ReadLine() is { } line)
                    {
                        history.AddUserMessage(line);
                        var systemMessages = 0;
                        while (systemMessages < history.Count && history[systemMessages].Role == AuthorRole.System)
                        {
                            systemMessages++;
                        }

                        while (history.Count - systemMessages > MaxHistoryMessages)
                        {
                            history.RemoveAt(systemMessages);
                        }

                        // A tool result without the call that asked for it is rejected by the provider.
                        while (history.Count > systemMessages && history[systemMessages].Role == AuthorRole.Tool)
                        {
                            history.RemoveAt(systemMessages);
                        }

                        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        history.Add(reply);
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [History(0, "history")], fixedSource, editorConfig: "AG0005.max_messages = 8", equivalenceKey: TrimHistoryCodeFixProvider.Key_TrimHistory);
    }

    [Fact]
    public async Task OpenAIMessages_KeepsSystemMessages_Fixes()
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

        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIChat(ChatClient client)
            {
                public async Task RunAsync(IEnumerable<string> questions)
                {
                    List<ChatMessage> messages = [new SystemChatMessage("Answer briefly.")];
                    const int MaxHistoryMessages = 20;
                    foreach (var question in questions)
                    {
                        messages.Add(new UserChatMessage(question));
                        var systemMessages = 0;
                        while (systemMessages < messages.Count && messages[systemMessages] is SystemChatMessage)
                        {
                            systemMessages++;
                        }

                        while (messages.Count - systemMessages > MaxHistoryMessages)
                        {
                            messages.RemoveAt(systemMessages);
                        }

                        // A tool result without the call that asked for it is rejected by the provider.
                        while (messages.Count > systemMessages && messages[systemMessages] is ToolChatMessage)
                        {
                            messages.RemoveAt(systemMessages);
                        }

                        ChatCompletion completion = await client.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(completion));
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [History(0, "messages")], fixedSource, equivalenceKey: TrimHistoryCodeFixProvider.Key_TrimHistory);
    }

    [Fact]
    public async Task TwoHistories_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agents(IChatClient client)
            {
                public async Task PlanAsync(List<ChatMessage> plan, int steps)
                {
                    for (var i = 0; i < steps; i++)
                    {
                        plan.AddMessages(await client.GetResponseAsync({|#0:plan|}));
                    }
                }

                public async Task ReviewAsync(IList<ChatMessage> review, IEnumerable<string> notes)
                {
                    foreach (var note in notes)
                    {
                        review.Add(new ChatMessage(ChatRole.User, note));
                        review.AddMessages(await client.GetResponseAsync({|#1:review|}));
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public sealed class Agents(IChatClient client)
            {
                public async Task PlanAsync(List<ChatMessage> plan, int steps)
                {
                    const int MaxHistoryMessages = 20;
                    for (var i = 0; i < steps; i++)
                    {
                        plan.TrimToRecent(MaxHistoryMessages);
                        plan.AddMessages(await client.GetResponseAsync(plan));
                    }
                }

                public async Task ReviewAsync(IList<ChatMessage> review, IEnumerable<string> notes)
                {
                    const int MaxHistoryMessages = 20;
                    foreach (var note in notes)
                    {
                        review.Add(new ChatMessage(ChatRole.User, note));
                        review.TrimToRecent(MaxHistoryMessages);
                        review.AddMessages(await client.GetResponseAsync(review));
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [History(0, "plan"), History(1, "review")], fixedSource, equivalenceKey: TrimHistoryCodeFixProvider.Key_TrimHistory);
    }
}
