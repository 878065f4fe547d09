using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Tool loops run by a library: <c>FunctionInvokingChatClient.MaximumIterationsPerRequest</c> and Anthropic's tool runner.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
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
