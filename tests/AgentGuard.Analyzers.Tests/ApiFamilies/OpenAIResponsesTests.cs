using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer,
    AgentGuard.CodeFixes.CallSites.MissingOutputTokenCapCodeFixProvider>;
using VerifyCap = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;
using VerifyHistory = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;
using VerifyLoop = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.ApiFamilies;

/// <summary>The OpenAI SDK's Responses API: <c>ResponsesClient.CreateResponse[Streaming][Async]</c>.</summary>
public sealed class OpenAIResponsesTests
{
    private const string Cap = "CreateResponseOptions.MaxOutputTokenCount";

    private static DiagnosticResult Expected(int location)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(Cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task TextOverload_MovesToOptionsWithCap()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public async Task<string> AskAsync(string question, string? previous)
                {
                    var response = await {|#0:client.CreateResponseAsync("gpt-4o", question, previous)|};
                    return response.Value.GetOutputText();
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public async Task<string> AskAsync(string question, string? previous)
                {
                    var response = await client.CreateResponseAsync(new CreateResponseOptions("gpt-4o", new ResponseItem[] { ResponseItem.CreateUserMessageItem(question) }) { MaxOutputTokenCount = 1024, PreviousResponseId = previous });
                    return response.Value.GetOutputText();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task OptionsWithoutCap_AddsIt()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public Task AskAsync(List<ResponseItem> items)
                    => client.CreateResponseAsync({|#0:new CreateResponseOptions("gpt-4o", items) { Instructions = "Be brief." }|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public Task AskAsync(List<ResponseItem> items)
                    => client.CreateResponseAsync(new CreateResponseOptions("gpt-4o", items) { Instructions = "Be brief.", MaxOutputTokenCount = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task CappedOptions_CopiedOptions_ProtocolCall_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public async Task AskAsync(List<ResponseItem> items, CreateResponseOptions configured, BinaryContent body)
                {
                    await client.CreateResponseAsync(new CreateResponseOptions("gpt-4o", items) { MaxOutputTokenCount = 400 });
                    await client.CreateResponseAsync(configured);
                    await client.CreateResponseAsync(body);
                }
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    [Fact]
    public async Task InputListGrowingEveryIteration_ReportsHistory()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Assistant(ResponsesClient client)
            {
                public async Task ChatAsync()
                {
                    var items = new List<ResponseItem>();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        items.Add(ResponseItem.CreateUserMessageItem(line));
                        var response = await client.CreateResponseAsync(new CreateResponseOptions("gpt-4o", {|#0:items|}) { MaxOutputTokenCount = 400 });
                        items.AddRange(response.Value.OutputItems);
                    }
                }
            }
            """;

        await VerifyHistory.VerifyAsync(
            source,
            VerifyHistory.Diagnostic(DiagnosticDescriptors.AG0005_UnboundedHistory).WithLocation(0).WithArguments("items"));
    }

    [Fact]
    public async Task ToolLoopEndingOnTheModelsWord_ReportsLoop()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using OpenAI.Responses;

            public sealed class Worker(ResponsesClient client)
            {
                public async Task RunAsync(List<ResponseItem> items)
                {
                    bool requiresAction;
                    {|#0:do|}
                    {
                        var response = await client.CreateResponseAsync(new CreateResponseOptions("gpt-4o", items) { MaxOutputTokenCount = 400 });
                        requiresAction = response.Value.OutputItems.OfType<FunctionCallResponseItem>().Any();
                        items.Clear();
                    }
                    while (requiresAction);
                }
            }
            """;

        await VerifyLoop.VerifyAsync(source, VerifyLoop.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(0));
    }
}
