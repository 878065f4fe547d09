using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Pipelines.GuardOutsideFunctionInvocationAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Pipelines;

public sealed class GuardOutsideFunctionInvocationAnalyzerTests
{
    private const string UseFunctionInvocation = "UseFunctionInvocation()";
    private const string UseCreatingToolLoop = "the Use(…) that creates a FunctionInvokingChatClient";

    private static DiagnosticResult Expected(int location, string toolLoop = UseFunctionInvocation)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0007_GuardOutsideFunctionInvocation)
            .WithLocation(location)
            .WithArguments(toolLoop)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations); // the tool loop, checked by the code-fix tests

    // ---------------------------------------------------------------- reports

    [Fact]
    public async Task NewBuilderChain_GuardBeforeFunctionInvocation_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .{|#0:UseAgentGuard(o => o.Budget = new BudgetPolicy { HardLimitUsd = 0.50m })|}
                        .UseFunctionInvocation()
                        .Build();
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task AsBuilderChain_GuardBeforeFunctionInvocation_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner) => inner.AsBuilder().{|#0:UseAgentGuard()|}.UseFunctionInvocation().Build();
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task AddChatClientRegistration_GuardBeforeFunctionInvocation_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner, AgentGuardOptions guardOptions)
                {
                    services.AddChatClient(inner)
                        .{|#0:UseAgentGuard(guardOptions)|}
                        .UseFunctionInvocation();
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task OtherMiddlewareInBetween_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.Logging;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner, ILoggerFactory loggerFactory)
                    => new ChatClientBuilder(inner)
                        .{|#0:UseAgentGuard()|}
                        .UseLogging(loggerFactory)
                        .ConfigureOptions(o => o.Temperature = 0)
                        .UseFunctionInvocation(loggerFactory, f => f.MaximumIterationsPerRequest = 10)
                        .Build();
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task UseCreatingFunctionInvokingChatClient_Reports()
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

        await Verify.VerifyAsync(source, Expected(0, UseCreatingToolLoop));
    }

    [Fact]
    public async Task BuilderLocal_SuccessiveStatements_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.{|#0:UseAgentGuard()|};
                    builder.UseLogging();
                    builder.UseFunctionInvocation();
                    return builder.Build();
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task BuilderDeclaredWithGuard_FunctionInvocationNextStatement_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var builder = inner.AsBuilder().{|#0:UseAgentGuard()|};
                    builder = builder.UseFunctionInvocation();
                    var client = builder.Build();
                    return client;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task TwoGuardsBothOutside_ReportsBoth()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner, AgentGuardOptions perTenant, AgentGuardOptions global)
                    => new ChatClientBuilder(inner).{|#0:UseAgentGuard(perTenant)|}.{|#1:UseAgentGuard(global)|}.UseFunctionInvocation().Build();
            }
            """;

        await Verify.VerifyAsync(source, Expected(0), Expected(1));
    }

    [Fact]
    public async Task GuardInsideLambdaRegistration_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner)
                    => services.AddSingleton(sp => new ChatClientBuilder(inner).{|#0:UseAgentGuard()|}.UseFunctionInvocation().Build(sp));
            }
            """;

        await Verify.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task TopLevelProgram_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            IChatClient inner = null!;
            var builder = new ChatClientBuilder(inner);
            builder.{|#0:UseAgentGuard()|}.UseLogging();
            builder.UseFunctionInvocation();
            IChatClient client = builder.Build();
            """;

        var test = new Verify.Test { TestCode = source };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Expected(0));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- does not report

    [Fact]
    public async Task GuardInsideFunctionInvocation_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseFunctionInvocation()
                        .UseAgentGuard(o => o.Budget = new BudgetPolicy { HardLimitUsd = 0.50m })
                        .Build();

                public static void Register(IServiceCollection services, IChatClient inner)
                    => services.AddChatClient(inner).UseLogging().UseFunctionInvocation().UseAgentGuard();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task GuardWithoutFunctionInvocation_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner).UseAgentGuard().UseLogging().Build();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task GuardOnBothSidesOfFunctionInvocation_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner, AgentGuardOptions perRequest, AgentGuardOptions perStep)
                    => new ChatClientBuilder(inner)
                        .UseAgentGuard(perRequest)
                        .UseFunctionInvocation()
                        .UseAgentGuard(perStep)
                        .Build();

                public static IChatClient CreateWithClient(IChatClient inner, AgentGuardOptions perRequest, AgentGuardOptions perStep)
                    => new ChatClientBuilder(inner)
                        .UseAgentGuard(perRequest)
                        .UseFunctionInvocation()
                        .Use(next => new BudgetChatClient(next, perStep))
                        .Build();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task TwoBuilders_GuardedClientWrappedByToolLoop_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                {
                    var guarded = new ChatClientBuilder(inner).UseAgentGuard();
                    var tools = new ChatClientBuilder(guarded.Build()).UseFunctionInvocation();
                    tools.UseFunctionInvocation();
                    return tools.Build();
                }

                public static IChatClient CreateChained(IChatClient inner)
                    => new ChatClientBuilder(inner).UseAgentGuard().Build().AsBuilder().UseFunctionInvocation().Build();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task BuiltBeforeFunctionInvocationIsAdded_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                public static (IChatClient Plain, IChatClient WithTools) Create(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    var plain = builder.UseAgentGuard().Build();
                    builder.UseFunctionInvocation();
                    return (plain, builder.Build());
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task BuilderEscapesBeforeItIsBuilt_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class ClientFactory
            {
                // The caller may still add a guard inside the tool loop.
                public static ChatClientBuilder Start(IChatClient inner)
                    => new ChatClientBuilder(inner).UseAgentGuard().UseFunctionInvocation();

                public static IChatClient Create(IChatClient inner, bool guardSteps)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseAgentGuard().UseFunctionInvocation();
                    if (guardSteps)
                    {
                        builder.UseAgentGuard();
                    }

                    return builder.Build();
                }

                public static IChatClient Configured(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseAgentGuard();
                    builder.UseFunctionInvocation();
                    AddStepGuard(builder);
                    return builder.Build();
                }

                private static void AddStepGuard(ChatClientBuilder builder) => builder.UseAgentGuard();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task UserMethodsNamedLikeTheExtensions_DoNotReport()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class MyPipelineExtensions
            {
                public static ChatClientBuilder UseAgentGuard(this ChatClientBuilder builder) => builder;
            }

            public static class ClientFactory
            {
                public static IChatClient Create(IChatClient inner)
                    => new ChatClientBuilder(inner).UseAgentGuard().UseFunctionInvocation().Build();
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
