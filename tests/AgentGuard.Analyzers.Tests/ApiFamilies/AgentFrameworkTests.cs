using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer,
    AgentGuard.CodeFixes.CallSites.MissingOutputTokenCapCodeFixProvider>;
using VerifyCap = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;
using VerifyLoop = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;
using VerifyLoopFix = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer,
    AgentGuard.CodeFixes.Loops.AddStepLimitCodeFixProvider>;
using VerifyHistory = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer,
    AgentGuard.CodeFixes.Loops.TrimHistoryCodeFixProvider>;
using VerifyRetry = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedRetryAnalyzer>;
using VerifyHistoryOnly = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;

namespace AgentGuard.Analyzers.Tests.ApiFamilies;

/// <summary>Microsoft Agent Framework: agents built on a chat client, judged where they are created; loops around their runs.</summary>
public sealed class AgentFrameworkTests
{
    private const string Cap = "ChatClientAgentOptions.ChatOptions.MaxOutputTokens";

    private static DiagnosticResult Expected(int location)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(Cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task AsAIAgent_WithoutOptions_CapsTheClient()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                    => {|#0:chatClient.AsAIAgent(instructions: "You are a travel assistant.", name: "Travel")|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                    => chatClient.AsBuilder().ConfigureOptions(options => options.MaxOutputTokens ??= 1024).Build().AsAIAgent(instructions: "You are a travel assistant.", name: "Travel");
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task ChatClientAgent_OptionsWithoutChatOptions_AddsCappedChatOptions()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                    => new ChatClientAgent(chatClient, {|#0:new ChatClientAgentOptions { Name = "Support" }|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                    => new ChatClientAgent(chatClient, new ChatClientAgentOptions { Name = "Support", ChatOptions = new ChatOptions { MaxOutputTokens = 1024 } });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task ChatClientAgent_ChatOptionsWithoutCap_AddsCap()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                {
                    var options = new ChatClientAgentOptions
                    {
                        Name = "Support",
                        ChatOptions = new ChatOptions { Instructions = "Answer briefly." },
                    };
                    return chatClient.AsAIAgent({|#0:options|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(IChatClient chatClient)
                {
                    var options = new ChatClientAgentOptions
                    {
                        Name = "Support",
                        ChatOptions = new ChatOptions { Instructions = "Answer briefly.", MaxOutputTokens = 1024 },
                    };
                    return chatClient.AsAIAgent(options);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task SdkClientAsAIAgent_WithoutOptions_PassesACappingClientFactory()
    {
        // The shape of the provider packages' AsAIAgent (OpenAI's ChatClient, Anthropic's client): the receiver is not
        // a chat client, and a clientFactory wraps the one the agent builds.
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(OpenAI.Chat.ChatClient openAiClient)
                    => {|#0:openAiClient.AsAIAgent(instructions: "You are a poet.")|};
            }

            public static class OpenAIChatClientAgentExtensions
            {
                public static ChatClientAgent AsAIAgent(this OpenAI.Chat.ChatClient client, string? instructions = null, string? name = null, Func<IChatClient, IChatClient>? clientFactory = null)
                    => throw new NotSupportedException();
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Create(OpenAI.Chat.ChatClient openAiClient)
                    => openAiClient.AsAIAgent(instructions: "You are a poet.", clientFactory: client => client.AsBuilder().ConfigureOptions(options => options.MaxOutputTokens ??= 1024).Build());
            }

            public static class OpenAIChatClientAgentExtensions
            {
                public static ChatClientAgent AsAIAgent(this OpenAI.Chat.ChatClient client, string? instructions = null, string? name = null, Func<IChatClient, IChatClient>? clientFactory = null)
                    => throw new NotSupportedException();
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task RemoteOrWorkflowAgents_AreNotTheCallersToCap()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;

            public sealed class AgentCard { }

            public sealed class HostedAssistants { }

            public static class RemoteAgents
            {
                public static ChatClientAgent AsAIAgent(this AgentCard card, string? name = null) => throw new NotSupportedException();

                // A service-side assistant: its instructions are stored, and capped, where it runs.
                public static ChatClientAgent CreateAIAgent(this HostedAssistants service, string model, string? instructions = null) => throw new NotSupportedException();

                public static AIAgent Connect(AgentCard card) => card.AsAIAgent(name: "remote");

                public static AIAgent Hosted(HostedAssistants service) => service.CreateAIAgent("gpt-4o", instructions: "Answer briefly.");
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task CappedAgents_AndRunsThemselves_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public sealed class Agents(IChatClient chatClient)
            {
                // A client capped by its own pipeline caps every agent built on it.
                private readonly IChatClient capped = chatClient.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens ??= 400).Build();

                public async Task RunAsync(ChatClientAgentOptions injectedOptions)
                {
                    var first = new ChatClientAgent(chatClient, new ChatClientAgentOptions { ChatOptions = new ChatOptions { MaxOutputTokens = 300 } });
                    var second = capped.AsAIAgent(instructions: "Be brief.");
                    var third = chatClient.AsAIAgent(injectedOptions);
                    var fourth = chatClient.AsAIAgent(CreateOptions());

                    // Runs are not judged: the agent's creation is.
                    await first.RunAsync("Hello");
                    await second.RunAsync("Hello");
                    await third.RunAsync("Hello");
                    await fourth.RunAsync("Hello");
                }

                private static ChatClientAgentOptions CreateOptions() => new() { ChatOptions = new() { MaxOutputTokens = 200 } };
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    [Fact]
    public async Task PipelineCappedInAnotherClass_DoesNotCoverThisAgent()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public sealed class Summarizer(IChatClient inner)
            {
                private readonly IChatClient client = inner.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens ??= 400).Build();

                public AIAgent Agent => client.AsAIAgent(instructions: "Summarize.");
            }

            public sealed class Researcher(IChatClient client)
            {
                public AIAgent Agent => {|#0:client.AsAIAgent(instructions: "Research.")|};
            }
            """;

        await VerifyCap.VerifyAsync(source, Expected(0));
    }

    // ---------------------------------------------------------------- AG0001 around agent runs

    [Fact]
    public async Task LoopUntilTheAgentSaysDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            public static class Worker
            {
                public static async Task RunAsync(AIAgent agent)
                {
                    var session = await agent.CreateSessionAsync();
                    {|#0:while|} (true)
                    {
                        var response = await agent.RunAsync("Continue the task.", session);
                        if (response.Text.Contains("DONE"))
                        {
                            break;
                        }
                    }
                }
            }
            """;

        await VerifyLoop.VerifyAsync(
            source,
            VerifyLoop.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(0));
    }

    [Fact]
    public async Task PersonPacedLoopAroundAnAgent_IsQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(AIAgent agent)
                {
                    var session = await agent.CreateSessionAsync();
                    while (true)
                    {
                        Console.Write("> ");
                        var input = Console.ReadLine();
                        var intent = await agent.RunAsync($"Classify: {input}", session);
                        if (intent.ToString() == "EndConversation")
                        {
                            break;
                        }

                        Console.WriteLine(await agent.RunAsync(input!, session));
                    }
                }
            }
            """;

        await VerifyLoop.VerifyAsync(source);
    }

    [Fact]
    public async Task PollingABackgroundResponse_IsQuiet()
    {
        // A background response is generated once; the loop only asks for it until it is ready.
        const string source = /* lang=c#-test */ """
            #pragma warning disable MEAI001
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            public static class Background
            {
                public static async Task<string> RunAsync(AIAgent agent, AgentSession session)
                {
                    var options = new AgentRunOptions { AllowBackgroundResponses = true };
                    var response = await agent.RunAsync("Write the quarterly report.", session, options);
                    while (response.ContinuationToken is { } token)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2));
                        options.ContinuationToken = token;
                        response = await agent.RunAsync(session, options);
                    }

                    return response.Text;
                }
            }
            """;

        await VerifyLoop.VerifyAsync(source);
    }

    [Fact]
    public async Task GroupChatWithoutARealIterationCap_SetsTheCeiling()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Agents.AI;
            using Microsoft.Agents.AI.Workflows;

            public static class Teams
            {
                public static RoundRobinGroupChatManager Create(IReadOnlyList<AIAgent> agents)
                    => new(agents) { MaximumIterationCount = {|#0:int.MaxValue|} };

                public static RoundRobinGroupChatManager Reviewed(IReadOnlyList<AIAgent> agents)
                    => new(agents) { MaximumIterationCount = 8 };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Agents.AI;
            using Microsoft.Agents.AI.Workflows;

            public static class Teams
            {
                public static RoundRobinGroupChatManager Create(IReadOnlyList<AIAgent> agents)
                    => new(agents) { MaximumIterationCount = 50 };

                public static RoundRobinGroupChatManager Reviewed(IReadOnlyList<AIAgent> agents)
                    => new(agents) { MaximumIterationCount = 8 };
            }
            """;

        await VerifyLoopFix.VerifyCodeFixAsync(
            source,
            [VerifyLoopFix.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation).WithLocation(0).WithArguments("MaximumIterationCount", "int.MaxValue", "50")],
            fixedSource);
    }

    [Fact]
    public async Task RetryingAnAgentRunForever_ReportsRetry()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            public static class Resilient
            {
                public static async Task<string> RunAsync(AIAgent agent, string question)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            return (await agent.RunAsync(question)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(1));
                        }
                    }
                }
            }
            """;

        await VerifyRetry.VerifyAsync(source, VerifyRetry.Diagnostic(DiagnosticDescriptors.AG0006_UnboundedRetry).WithLocation(0).WithArguments("This loop"));
    }

    // ---------------------------------------------------------------- AG0005: a session that keeps every turn

    [Fact]
    public async Task SessionReusedEveryIteration_WithoutReducer_CapsTheAgentsClient()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(IChatClient chatClient)
                {
                    AIAgent agent = chatClient.AsAIAgent(new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, {|#0:session|}));
                    }
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(IChatClient chatClient)
                {
                    AIAgent agent = chatClient.AsBuilder().UseRecentMessages(20).Build().AsAIAgent(new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, session));
                    }
                }
            }
            """;

        await VerifyHistory.VerifyCodeFixAsync(
            source,
            [VerifyHistory.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("session").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)],
            fixedSource);
    }

    [Fact]
    public async Task SessionFix_InAFileWithoutTheExtensionsAiUsing_AddsIt()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(Microsoft.Extensions.AI.IChatClient chatClient)
                {
                    var agent = new ChatClientAgent(chatClient, new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, {|#0:session|}));
                    }
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(Microsoft.Extensions.AI.IChatClient chatClient)
                {
                    var agent = new ChatClientAgent(chatClient.AsBuilder().UseRecentMessages(20).Build(), new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, session));
                    }
                }
            }
            """;

        await VerifyHistory.VerifyCodeFixAsync(
            source,
            [VerifyHistory.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("session").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)],
            fixedSource);
    }

    [Fact]
    public async Task SessionWithReducer_NewSessionEachTurn_UnknownAgent_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public sealed class Agents(AIAgent injected)
            {
                public static async Task WithReducerAsync(IChatClient chatClient, IChatReducer reducer)
                {
                    var agent = chatClient.AsAIAgent(new ChatClientAgentOptions
                    {
                        ChatOptions = new() { MaxOutputTokens = 500 },
                        ChatHistoryProvider = new InMemoryChatHistoryProvider(new InMemoryChatHistoryProviderOptions { ChatReducer = reducer }),
                    });
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, session));
                    }
                }

                public static async Task FreshSessionAsync(IChatClient chatClient)
                {
                    var agent = chatClient.AsAIAgent(new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    AgentSession session;
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        session = await agent.CreateSessionAsync();
                        Console.WriteLine(await agent.RunAsync(line, session));
                    }
                }

                public async Task InjectedAgentAsync()
                {
                    var session = await injected.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await injected.RunAsync(line, session));
                    }
                }
            }
            """;

        await VerifyHistoryOnly.VerifyAsync(source);
    }

    [Fact]
    public async Task OneSessionAcrossAFixedSequenceOfStreamedRuns_IsQuiet()
    {
        // Each await foreach walks one run's updates: there is no turn loop resending the session.
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Walkthrough
            {
                public static async Task RunAsync(IChatClient chatClient)
                {
                    var agent = chatClient.AsAIAgent(new ChatClientAgentOptions { ChatOptions = new() { MaxOutputTokens = 500 } });
                    var session = await agent.CreateSessionAsync();
                    await foreach (var update in agent.RunStreamingAsync("First question", session))
                    {
                        Console.Write(update);
                    }

                    await foreach (var update in agent.RunStreamingAsync("Follow-up", session))
                    {
                        Console.Write(update);
                    }
                }
            }
            """;

        await VerifyHistoryOnly.VerifyAsync(source);
    }
}
