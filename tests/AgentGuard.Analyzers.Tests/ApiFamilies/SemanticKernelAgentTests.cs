using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer,
    AgentGuard.CodeFixes.CallSites.MissingOutputTokenCapCodeFixProvider>;
using VerifyCap = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;
using VerifyHistory = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;

namespace AgentGuard.Analyzers.Tests.ApiFamilies;

/// <summary>
/// Semantic Kernel's agents. The test compilations declare the shape of <c>Microsoft.SemanticKernel.Agents</c> (its
/// <c>Agent</c> base with <c>Kernel</c>, <c>Instructions</c> and <c>Arguments</c>, and <c>ChatCompletionAgent</c>)
/// themselves: the agents package is not among the test references.
/// </summary>
public sealed class SemanticKernelAgentTests
{
    private const string Cap = "MaxTokens on the execution settings";

    private const string AgentsShape = """

        namespace Microsoft.SemanticKernel.Agents
        {
            public abstract class Agent
            {
                public Microsoft.SemanticKernel.Kernel Kernel { get; init; } = null!;
                public string? Instructions { get; init; }
                public string? Name { get; init; }
                public Microsoft.SemanticKernel.KernelArguments? Arguments { get; init; }
            }

            public sealed class ChatCompletionAgent : Agent
            {
                public System.Collections.Generic.IAsyncEnumerable<Microsoft.SemanticKernel.ChatMessageContent> InvokeAsync(
                    Microsoft.SemanticKernel.ChatCompletion.ChatHistory history) => throw new System.NotSupportedException();
            }
        }
        """;

    private static DiagnosticResult Expected(int location)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(Cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task AgentWithoutArguments_GetsCappedArguments()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;

            public static class Agents
            {
                public static ChatCompletionAgent Create(Kernel kernel)
                    => {|#0:new ChatCompletionAgent { Kernel = kernel, Name = "Host", Instructions = "Answer questions about the menu." }|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public static class Agents
            {
                public static ChatCompletionAgent Create(Kernel kernel)
                    => new ChatCompletionAgent { Kernel = kernel, Name = "Host", Instructions = "Answer questions about the menu.", Arguments = new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 1024 }) };
            }
            """;

        await Verify.VerifyCodeFixAsync(source + AgentsShape, [Expected(0)], fixedSource + AgentsShape);
    }

    [Fact]
    public async Task AgentWithUncappedSettings_AddsTheCap()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public static class Agents
            {
                public static ChatCompletionAgent Create(Kernel kernel)
                    => new()
                    {
                        Kernel = kernel,
                        Arguments = new KernelArguments({|#0:new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }|}),
                    };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public static class Agents
            {
                public static ChatCompletionAgent Create(Kernel kernel)
                    => new()
                    {
                        Kernel = kernel,
                        Arguments = new KernelArguments(new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), MaxTokens = 1024 }),
                    };
            }
            """;

        await Verify.VerifyCodeFixAsync(source + AgentsShape, [Expected(0)], fixedSource + AgentsShape);
    }

    [Fact]
    public async Task CappedAgents_AndSettingsFromAHelper_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public static class Agents
            {
                public static void Create(Kernel kernel, KernelArguments injected)
                {
                    _ = new ChatCompletionAgent { Kernel = kernel, Arguments = new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 400 }) };
                    _ = new ChatCompletionAgent { Kernel = kernel, Arguments = new KernelArguments(Settings()) };
                    _ = new ChatCompletionAgent { Kernel = kernel, Arguments = injected };
                }

                private static PromptExecutionSettings Settings() => new OpenAIPromptExecutionSettings { MaxTokens = 400 };
            }
            """;

        await VerifyCap.VerifyAsync(source + AgentsShape);
    }

    [Fact]
    public async Task HistoryGrownEveryTurnAndGivenToTheAgent_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Agents;
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class ConsoleAgent
            {
                public static async Task RunAsync(ChatCompletionAgent agent)
                {
                    var history = new ChatHistory();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.AddUserMessage(line);
                        await foreach (var message in agent.InvokeAsync({|#0:history|}))
                        {
                            history.Add(message);
                        }
                    }
                }
            }
            """;

        await VerifyHistory.VerifyAsync(
            source + AgentsShape,
            VerifyHistory.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("history"));
    }
}
