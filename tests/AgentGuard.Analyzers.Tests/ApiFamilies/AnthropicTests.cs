using Microsoft.CodeAnalysis.Testing;
using VerifyCap = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;
using VerifyHistory = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;
using VerifyLoop = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.ApiFamilies;

/// <summary>The official Anthropic SDK: <c>client.Messages.Create(new MessageCreateParams { … })</c>.</summary>
public sealed class AnthropicTests
{
    [Fact]
    public async Task MessagesListGrowingEveryTurn_ReportsHistory()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;

            public sealed class ClaudeChat(IMessageService messages)
            {
                public async Task RunAsync()
                {
                    var history = new List<MessageParam>();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.Add(new UserMessageParam(line));
                        var reply = await messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = {|#0:history|} });
                        history.Add(new AssistantMessageParam(reply.Content[0].ToString()));
                    }
                }
            }
            """;

        await VerifyHistory.VerifyAsync(
            source,
            VerifyHistory.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("history"));
    }

    [Fact]
    public async Task MessagesTrimmedBeforeEachRequest_IsQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;

            public sealed class ClaudeChat(IMessageService messages)
            {
                public async Task RunAsync()
                {
                    var history = new List<MessageParam>();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.Add(new UserMessageParam(line));
                        if (history.Count > 20)
                        {
                            history.RemoveRange(0, history.Count - 20);
                        }

                        var reply = await messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = history });
                        history.Add(new AssistantMessageParam(reply.Content[0].ToString()));
                    }
                }
            }
            """;

        await VerifyHistory.VerifyAsync(source);
    }

    [Fact]
    public async Task MaxTokensIsRequired_NeverReportsTheCap()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;

            public sealed class ClaudeChat(IMessageService messages)
            {
                public Task<Message> AskAsync(List<MessageParam> history)
                    => messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = history });
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    [Fact]
    public async Task LoopUntilStopReasonIsEndTurn_ReportsLoop()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;

            public sealed class ClaudeWorker(IMessageService messages)
            {
                public async Task RunAsync(List<MessageParam> history)
                {
                    {|#0:while|} (true)
                    {
                        var reply = await messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = history });
                        if (reply.StopReason == StopReason.EndTurn)
                        {
                            break;
                        }

                        history.Clear();
                    }
                }
            }
            """;

        await VerifyLoop.VerifyAsync(source, VerifyLoop.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(0));
    }

    [Fact]
    public async Task ChatClientAdapter_SendsItsDefaultCap_OtherClientsStillReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Anthropic;
            using Microsoft.Extensions.AI;

            public sealed class Chat(IChatClient other)
            {
                public async Task RunAsync(AnthropicClient anthropic)
                {
                    // The adapter sends max_tokens (1024 unless told otherwise) on every request.
                    IChatClient claude = anthropic.AsIChatClient("claude-sonnet-4-5");
                    await claude.GetResponseAsync("Hello");
                    await anthropic.AsIChatClient("claude-sonnet-4-5", 300).GetResponseAsync("Hello");
                    IChatClient withTools = anthropic.AsIChatClient("claude-sonnet-4-5").AsBuilder().UseFunctionInvocation().Build();
                    await withTools.GetResponseAsync("Hello");

                    await {|#0:other.GetResponseAsync("Hello")|};
                }
            }
            """;

        await VerifyCap.VerifyAsync(
            source,
            VerifyCap.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap).WithLocation(0).WithArguments("ChatOptions.MaxOutputTokens").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
    }
}
