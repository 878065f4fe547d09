using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using AgentGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Broken code is the normal case in an editor: every AgentGuard analyzer and code fix must survive it. Each
/// realistic source is truncated at many points and has tokens deleted at random (fixed seed); every analyzer of
/// the analyzer assembly runs over every variant, and every code fix runs on what they report. Analyzers and fixes
/// are found by reflection, so rules added later are covered too.
/// </summary>
public sealed class BrokenCodeTests
{
    private const int TruncationsPerSource = 24;
    private const int DeletionsPerSource = 24;

    public static TheoryData<string> SourceNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Sources.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceNames))]
    public async Task EveryAnalyzerAndCodeFix_OnBrokenCode_DoesNotThrow(string sourceName)
    {
        var source = Sources[sourceName];
        var references = await References();
        var analyzers = AllAnalyzers();
        var fixes = AllCodeFixes();
        Assert.NotEmpty(analyzers);

        var failures = new ConcurrentBag<string>();
        var fixAttempts = 0;
        foreach (var variant in Variants(source))
        {
            var diagnostics = await AnalyzeAsync(variant, references, analyzers, failures);
            fixAttempts += await RunFixes(variant, references, diagnostics, fixes, failures);
        }

        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(3)));
        Assert.True(fixAttempts > 0, "No code fix ran: the sources should produce fixable diagnostics.");
    }

    [Fact]
    public async Task Harness_AnalyzerThatThrows_IsCaught()
    {
        var failures = new ConcurrentBag<string>();
        await AnalyzeAsync("class C { void M() { while (true) { } } }", await References(), [new ThrowingAnalyzer()], failures);

        Assert.NotEmpty(failures);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        string variant,
        ImmutableArray<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        ConcurrentBag<string> failures)
    {
        var tree = CSharpSyntaxTree.ParseText(variant, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Agent.cs");
        var compilation = CSharpCompilation.Create(
            "Broken",
            [tree],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}\n--- source ---\n{variant}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Id == "AD0001")
            {
                failures.Add(diagnostic.ToString() + "\n--- source ---\n" + variant);
            }
        }

        return diagnostics;
    }

    /// <summary>Proves the harness would notice an analyzer exception.</summary>
    // A test double, never shipped: the extended analyzer rules are for analyzer projects.
#pragma warning disable RS1036 // Specify analyzer banned API enforcement setting
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
#pragma warning restore RS1036
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [DiagnosticDescriptors.AG0001_UnboundedAgentLoop];

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(_ => throw new InvalidOperationException("boom"), OperationKind.Loop);
        }
    }

    private static async Task<int> RunFixes(
        string text,
        ImmutableArray<MetadataReference> references,
        ImmutableArray<Diagnostic> diagnostics,
        IReadOnlyList<CodeFixProvider> fixes,
        ConcurrentBag<string> failures)
    {
        var attempts = 0;
        if (diagnostics.IsEmpty)
        {
            return attempts;
        }

        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "Broken",
            "Broken",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: references));
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Agent.cs", SourceText.From(text), filePath: "/0/Agent.cs");
        var document = solution.GetDocument(documentId)!;

        foreach (var diagnostic in diagnostics)
        {
            foreach (var fix in fixes)
            {
                if (!fix.FixableDiagnosticIds.Contains(diagnostic.Id))
                {
                    continue;
                }

                attempts++;
                try
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                    await fix.RegisterCodeFixesAsync(context);
                    foreach (var action in actions)
                    {
                        await action.GetOperationsAsync(CancellationToken.None);
                    }
                }
                catch (Exception exception)
                {
                    failures.Add($"{fix.GetType().Name} threw {exception.GetType().Name}: {exception.Message} on {diagnostic}\n--- source ---\n{text}");
                }
            }
        }

        return attempts;
    }

    /// <summary>The source truncated at evenly spaced points, then with one to three tokens deleted at random.</summary>
    private static IEnumerable<string> Variants(string source)
    {
        yield return source;
        for (var i = 1; i <= TruncationsPerSource; i++)
        {
            yield return source.Substring(0, source.Length * i / (TruncationsPerSource + 1));
        }

        var random = new Random(20260101);
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        for (var i = 0; i < DeletionsPerSource; i++)
        {
            var spans = new List<TextSpan>();
            var count = 1 + random.Next(3);
            for (var j = 0; j < count; j++)
            {
                spans.Add(tokens[random.Next(tokens.Count)].Span);
            }

            var text = source;
            foreach (var span in spans.Distinct().OrderByDescending(s => s.Start))
            {
                text = text.Remove(span.Start, span.Length);
            }

            yield return text;
        }
    }

    private static ImmutableArray<MetadataReference>? references;

    private static async Task<ImmutableArray<MetadataReference>> References()
    {
        if (references is { } cached)
        {
            return cached;
        }

        var resolved = await TestReferences.WithModelApis.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var all = resolved.Add(TestReferences.AgentGuardRuntime);
        references = all;
        return all;
    }

    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers()
        => typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static IReadOnlyList<CodeFixProvider> AllCodeFixes()
        => typeof(AgentGuard.CodeFixes.CodeFixAssemblyMarker).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToList();

    private static readonly Dictionary<string, string> Sources = new()
    {
        ["AgentLoopAndHistory"] = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            namespace Contoso.Agents;

            public sealed class ResearchAgent(IChatClient client)
            {
                private readonly List<ChatMessage> history = [new(ChatRole.System, "Research, then answer.")];

                public async Task<string> RunAsync(string goal, CancellationToken cancellationToken)
                {
                    history.Add(new ChatMessage(ChatRole.User, goal));
                    var done = false;
                    string answer = "";
                    while (!done)
                    {
                        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 500 }, cancellationToken);
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

                        answer = response.Text;
                        done = response.FinishReason == ChatFinishReason.Stop || answer.Contains("DONE");
                    }

                    for (;;)
                    {
                        var check = await AskAsync("Is this final? " + answer);
                        if (check == "YES") break;
                    }

                next:
                    var more = await AskAsync("More?");
                    if (more != "NO") goto next;

                    return answer;
                }

                private async Task<string> AskAsync(string prompt) => (await client.GetResponseAsync(prompt)).Text;

                public async Task<string> RefineAsync(string draft, int depth = 0)
                {
                    var response = await client.GetResponseAsync("Improve: " + draft);
                    if (response.Text == "DONE") return draft;
                    return await RefineAsync(response.Text);
                }

                public static IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = int.MaxValue).Build();
            }
            """,

        ["RetriesAndPolly"] = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            public sealed class ResilientChat(IChatClient client)
            {
                private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = int.MaxValue })
                    .Build();

                public async Task<string> AskAsync(string question)
                {
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
                        {
                            await Task.Delay(1000);
                        }
                        catch
                        {
                        }
                    }
                }

                public async Task<string> GotoAsync(string question)
                {
                retry:
                    try
                    {
                        return (await pipeline.ExecuteAsync(async ct => await client.GetResponseAsync(question, cancellationToken: ct))).Text;
                    }
                    catch (TimeoutException)
                    {
                        goto retry;
                    }
                }

                public async Task<string?> ResultAsync(string question)
                {
                    ChatResponse? result = null;
                    do
                    {
                        try { result = await client.GetResponseAsync(question); }
                        catch (Exception e) { Console.Error.WriteLine(e); }
                    }
                    while (result is null);
                    return result?.Text;
                }
            }
            """,

        ["SemanticKernelAndOpenAI"] = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using OpenAI.Chat;

            public sealed class Chats(IChatCompletionService chat, Kernel kernel, ChatClient openAI)
            {
                public async Task SkAsync()
                {
                    var history = new ChatHistory("You are a travel agent.");
                    var approved = false;
                    while (!approved)
                    {
                        history.AddUserMessage(Console.ReadLine() ?? "");
                        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        history.Add(reply);
                        approved = reply.Content?.Contains("APPROVED") == true;
                    }
                }

                public async Task OpenAIAsync(List<OpenAI.Chat.ChatMessage> messages)
                {
                    ChatFinishReason reason;
                    do
                    {
                        ChatCompletion completion = await openAI.CompleteChatAsync(messages);
                        messages.Add(new AssistantChatMessage(completion));
                        reason = completion.FinishReason;
                    }
                    while (reason != ChatFinishReason.Stop);
                }
            }
            """,

        ["TopLevelConsoleChat"] = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            List<ChatMessage> history = [new(ChatRole.System, "You are a helpful assistant.")];
            while (true)
            {
                var response = await client.GetResponseAsync(history);
                history.AddMessages(response);
                if (response.Text.Contains("BYE")) break;
            }
            """,

        ["GuardPipelines"] = /* lang=c#-test */ """
            using AgentGuard;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Pipelines
            {
                public static IChatClient Chained(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        // per task
                        .UseAgentGuard(o => o.Budget = new BudgetPolicy { HardLimitUsd = 0.50m, MaxSteps = 8 })
                        .UseLogging()
                        .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 10)
                        .Build();

                public static void Register(IServiceCollection services, IChatClient inner, AgentGuardOptions options)
                {
                    services.AddChatClient(inner).UseAgentGuard(options).Use(next => new FunctionInvokingChatClient(next));
                    var builder = inner.AsBuilder();
                    builder.UseAgentGuard();
                    builder.UseFunctionInvocation();
                    builder = builder.UseAgentGuard(options).UseFunctionInvocation();
                    services.AddSingleton(builder.Build());
                }
            }
            """,

        ["AgentsAndSdkShapes"] = /* lang=c#-test */ """
            #pragma warning disable OPENAI001, MEAI001
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;
            using Microsoft.Agents.AI;
            using Microsoft.Agents.AI.Workflows;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;
            using OpenAI.Responses;

            public sealed class Agents(IChatClient chatClient, Kernel kernel, ResponsesClient responses, IMessageService messages)
            {
                public async Task RunAsync(IReadOnlyList<AIAgent> team)
                {
                    var agent = chatClient.AsAIAgent(new ChatClientAgentOptions { Name = "Planner", ChatOptions = new ChatOptions { Instructions = "Plan." } });
                    var other = new ChatClientAgent(chatClient, instructions: "Review.");
                    var session = await agent.CreateSessionAsync();
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        Console.WriteLine(await agent.RunAsync(line, session));
                    }

                    var arguments = new KernelArguments { ["input"] = "x" };
                    await kernel.InvokePromptAsync("{{time.Now}} Summarize the input in three bullet points for an executive audience.", arguments);
                    await kernel.InvokePromptAsync("Hello", new KernelArguments(new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));
                    var items = new List<ResponseItem>();
                    while (true)
                    {
                        var response = await responses.CreateResponseAsync("gpt-4o", "Next step?", null);
                        items.AddRange(response.Value.OutputItems);
                        var next = await responses.CreateResponseAsync(new CreateResponseOptions("gpt-4o", items) { Instructions = $"Today is {DateTime.Now}. You are a careful planner who explains each step." });
                        if (next.Value.GetOutputText().Contains("DONE")) break;
                    }

                    var history = new List<MessageParam>();
                    while (Console.ReadLine() is { Length: > 0 } question)
                    {
                        history.Add(new UserMessageParam(question));
                        await messages.Create(new MessageCreateParams { Model = Model.ClaudeSonnet4_5, MaxTokens = 1024, Messages = history });
                    }

                    _ = new RoundRobinGroupChatManager(team) { MaximumIterationCount = int.MaxValue };
                }
            }
            """,
    };
}
