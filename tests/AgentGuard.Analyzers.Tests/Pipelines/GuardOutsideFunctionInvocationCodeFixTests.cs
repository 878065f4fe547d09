using AgentGuard.CodeFixes.Pipelines;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Pipelines.GuardOutsideFunctionInvocationAnalyzer,
    AgentGuard.CodeFixes.Pipelines.MoveGuardInsideFunctionInvocationCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Pipelines;

public sealed class GuardOutsideFunctionInvocationCodeFixTests
{
    private static DiagnosticResult Expected(int location, string toolLoop = "UseFunctionInvocation()")
        => Verify.Diagnostic(DiagnosticDescriptors.AG0007_GuardOutsideFunctionInvocation)
            .WithLocation(location)
            .WithArguments(toolLoop)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task OneCallPerLine_KeepsLayout_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        // the budget for one task
                        .{|#0:UseAgentGuard(o => o.Budget = new BudgetPolicy
                        {
                            HardLimitUsd = 0.50m,
                            MaxSteps = 8,
                        })|}
                        .UseLogging()
                        .UseFunctionInvocation()
                        .Build();
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseLogging()
                        .UseFunctionInvocation()
                        // the budget for one task
                        .UseAgentGuard(o => o.Budget = new BudgetPolicy
                        {
                            HardLimitUsd = 0.50m,
                            MaxSteps = 8,
                        })
                        .Build();
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task OneLineChain_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner, AgentGuardOptions options) => inner.AsBuilder().{|#0:UseAgentGuard(options)|}.UseFunctionInvocation().Build();
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner, AgentGuardOptions options) => inner.AsBuilder().UseFunctionInvocation().UseAgentGuard(options).Build();
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task FunctionInvocationEndsTheChain_GuardBecomesLastLine_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner)
                {
                    services.AddChatClient(inner)
                        .{|#0:UseAgentGuard()|}
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 10);
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner)
                {
                    services.AddChatClient(inner)
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 10)
                        .UseAgentGuard();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task UseCreatingFunctionInvokingChatClient_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .{|#0:UseAgentGuard()|}
                        .Use(next => new FunctionInvokingChatClient(next) { MaximumIterationsPerRequest = 5 })
                        .Build();
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .Use(next => new FunctionInvokingChatClient(next) { MaximumIterationsPerRequest = 5 })
                        .UseAgentGuard()
                        .Build();
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "the Use(…) that creates a FunctionInvokingChatClient")],
            fixedSource,
            equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task SuccessiveStatements_MovesCallIntoLaterStatement_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.{|#0:UseAgentGuard(o => o.ModelId = "gpt-4o")|};
                    builder.UseLogging();
                    builder.UseFunctionInvocation();
                    return builder.Build();
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseLogging();
                    builder.UseFunctionInvocation().UseAgentGuard(o => o.ModelId = "gpt-4o");
                    return builder.Build();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task GuardInDeclaration_LeavesTheBuilder_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = inner.AsBuilder().{|#0:UseAgentGuard()|};
                    builder.UseFunctionInvocation();
                    return builder.Build();
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = inner.AsBuilder();
                    builder.UseFunctionInvocation().UseAgentGuard();
                    return builder.Build();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside);
    }

    [Fact]
    public async Task SeveralPipelinesInOneFile_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient support, IChatClient research, AgentGuardOptions options)
                {
                    services.AddKeyedChatClient("support", support)
                        .{|#0:UseAgentGuard(options)|}
                        .UseFunctionInvocation();

                    services.AddKeyedChatClient("research", research).{|#1:UseAgentGuard()|}.UseLogging().UseFunctionInvocation();
                }

                public static IChatClient Summarizer(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .{|#2:UseAgentGuard()|}
                        .UseFunctionInvocation()
                        .Build();
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient support, IChatClient research, AgentGuardOptions options)
                {
                    services.AddKeyedChatClient("support", support)
                        .UseFunctionInvocation()
                        .UseAgentGuard(options);

                    services.AddKeyedChatClient("research", research).UseLogging().UseFunctionInvocation().UseAgentGuard();
                }

                public static IChatClient Summarizer(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseFunctionInvocation()
                        .UseAgentGuard()
                        .Build();
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = MoveGuardInsideFunctionInvocationCodeFixProvider.Key_MoveGuardInside,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange([Expected(0), Expected(1), Expected(2)]);
        await test.RunAsync();
    }

    [Fact]
    public async Task StaticCallForm_HasNoFix_DoesNotFix()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => AgentGuardChatClientBuilderExtensions.{|#0:UseAgentGuard(new ChatClientBuilder(inner))|}.UseFunctionInvocation().Build();
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], source);
    }
}
