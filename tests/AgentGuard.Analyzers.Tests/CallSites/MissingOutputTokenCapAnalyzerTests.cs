using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;

namespace AgentGuard.Analyzers.Tests.CallSites;

public sealed class MissingOutputTokenCapAnalyzerTests
{
    private const string ExtensionsAiCap = "ChatOptions.MaxOutputTokens";
    private const string OpenAiCap = "ChatCompletionOptions.MaxOutputTokenCount";
    private const string SemanticKernelCap = "MaxTokens on the execution settings";

    private static DiagnosticResult Expected(int location, string cap)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations); // the fix target, checked by the code-fix tests

    // ---------------------------------------------------------------- reports

    [Fact]
    public async Task ConsoleChat_NoOptions_Reports()
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
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.Add(new(ChatRole.User, line));
                        var response = await {|#0:client.GetResponseAsync(history)|};
                        history.AddMessages(response);
                        Console.WriteLine(response.Text);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task StringPrompt_NullOptions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ProductSummarizer(IChatClient client)
            {
                public async Task<string> SummarizeAsync(string description)
                {
                    var response = await client.GetResponseAsync("Summarize this product: " + description, {|#0:null|});
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task InlineOptions_WithoutCap_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CatalogAssistant(IChatClient chatClient)
            {
                public async Task<string> AnswerAsync(IList<ChatMessage> messages, CancellationToken cancellationToken)
                {
                    var response = await chatClient.GetResponseAsync(
                        messages,
                        {|#0:new ChatOptions { Temperature = 0.2f, ModelId = "gpt-4o-mini" }|},
                        cancellationToken);
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task LocalOptions_WithToolsButNoCap_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class OrderAgent(IChatClient client)
            {
                public async Task<ChatResponse> StepAsync(List<ChatMessage> history)
                {
                    var options = new ChatOptions
                    {
                        Tools = [AIFunctionFactory.Create(GetOrderStatus)],
                        ToolMode = ChatToolMode.Auto,
                    };
                    options.Temperature = 0;

                    return await client.GetResponseAsync(history, {|#0:options|});
                }

                private static string GetOrderStatus(int orderId) => "shipped";
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task PrivateReadonlyField_WithoutCapAnywhereInType_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SupportBot
            {
                private readonly IChatClient _client;
                private readonly ChatOptions _options = new() { ModelId = "gpt-4o", Temperature = 0.1f };

                public SupportBot(IChatClient client) => _client = client;

                public async Task<string> ReplyAsync(List<ChatMessage> conversation)
                {
                    var response = await _client.GetResponseAsync(conversation, {|#0:_options|});
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task PrivateAutoProperty_WithoutCap_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TriageAgent(IChatClient client)
            {
                private ChatOptions Options { get; } = new ChatOptions { ResponseFormat = ChatResponseFormat.Json };

                public async Task<string> ClassifyAsync(string ticket)
                {
                    var response = await client.GetResponseAsync(ticket, {|#0:this.Options|});
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task StreamingCall_NoOptions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class StreamingChat(IChatClient client)
            {
                public async Task StreamAsync(List<ChatMessage> history)
                {
                    await foreach (var update in {|#0:client.GetStreamingResponseAsync(history)|})
                    {
                        Console.Write(update.Text);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task StructuredOutput_NoOptions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Sentiment(string Label, double Score);

            public sealed class ReviewAnalyzer(IChatClient client)
            {
                public async Task<Sentiment> AnalyzeAsync(string review)
                {
                    var response = await {|#0:client.GetResponseAsync<Sentiment>("Rate the sentiment: " + review)|};
                    return response.Result;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task OpenAiSdk_NoOptions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAiChat(ChatClient client)
            {
                public async Task<string> AskAsync(List<ChatMessage> messages)
                {
                    ChatCompletion completion = await {|#0:client.CompleteChatAsync(messages)|};
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, OpenAiCap));
    }

    [Fact]
    public async Task OpenAiSdk_ParamsOverload_Reports()
    {
        const string source = /* lang=c#-test */ """
            using OpenAI.Chat;

            public sealed class Translator(ChatClient client)
            {
                public string Translate(string text)
                {
                    ChatCompletion completion = {|#0:client.CompleteChat(
                        new SystemChatMessage("Translate the user's text to French."),
                        new UserChatMessage(text))|};
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, OpenAiCap));
    }

    [Fact]
    public async Task OpenAiSdk_OptionsWithoutCap_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Planner(ChatClient client)
            {
                public async Task<string> PlanAsync(List<ChatMessage> messages)
                {
                    var options = new ChatCompletionOptions { Temperature = 0.3f };
                    ChatCompletion completion = await client.CompleteChatAsync(messages, {|#0:options|});
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, OpenAiCap));
    }

    [Fact]
    public async Task SemanticKernel_NoSettings_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class KernelChat(IChatCompletionService chat, Kernel kernel)
            {
                public async Task<string?> AskAsync(ChatHistory history)
                {
                    var reply = await {|#0:chat.GetChatMessageContentAsync(history, kernel: kernel)|};
                    history.Add(reply);
                    return reply.Content;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, SemanticKernelCap));
    }

    [Fact]
    public async Task LocalOptions_NullInitializer_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Summarizer(IChatClient client)
            {
                public async Task<string> SummarizeAsync(List<ChatMessage> messages)
                {
                    ChatOptions? options = null;
                    var response = await client.GetResponseAsync(messages, {|#0:options|});
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task TopLevelConsoleChat_NoOptions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            List<ChatMessage> history = [new(ChatRole.System, "You are a travel assistant.")];
            while (Console.ReadLine() is { } input)
            {
                history.Add(new(ChatRole.User, input));
                var response = await {|#0:client.GetResponseAsync(history)|};
                history.AddMessages(response);
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Expected(0, ExtensionsAiCap));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- does not report

    [Fact]
    public async Task InlineOptions_WithCap_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CatalogAssistant(IChatClient client)
            {
                public Task<ChatResponse> AnswerAsync(List<ChatMessage> messages)
                    => client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 400, Temperature = 0 });
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task OptionsFromParameter_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class AgentStep(IChatClient client)
            {
                public Task<ChatResponse> RunAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
                    => client.GetResponseAsync(messages, options, cancellationToken);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task OptionsFromMethodResult_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public interface IOptionsFactory { ChatOptions Create(string agentName); }

            public sealed class AgentStep(IChatClient client, IOptionsFactory factory)
            {
                public Task<ChatResponse> RunAsync(List<ChatMessage> messages)
                    => client.GetResponseAsync(messages, factory.Create("billing"));
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LocalOptions_CapAssignedLater_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ResearchAgent(IChatClient client, int budgetTokens)
            {
                public async Task<string> StepAsync(List<ChatMessage> history)
                {
                    var options = new ChatOptions { Temperature = 0.7f };
                    if (budgetTokens > 0)
                    {
                        options.MaxOutputTokens = budgetTokens;
                    }

                    var response = await client.GetResponseAsync(history, options);
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FieldOptions_CapAssignedInConstructor_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SupportBot
            {
                private readonly IChatClient _client;
                private readonly ChatOptions _options = new() { Temperature = 0.1f };

                public SupportBot(IChatClient client, int maxTokens)
                {
                    _client = client;
                    _options.MaxOutputTokens = maxTokens;
                }

                public Task<ChatResponse> ReplyAsync(List<ChatMessage> conversation)
                    => _client.GetResponseAsync(conversation, _options);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FieldOptions_AssignedInConstructorFromSettings_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class AgentSettings { public ChatOptions Chat { get; set; } = new(); }

            public sealed class SupportBot
            {
                private readonly IChatClient _client;
                private readonly ChatOptions _options;

                public SupportBot(IChatClient client, AgentSettings settings)
                {
                    _client = client;
                    _options = settings.Chat;
                }

                public Task<ChatResponse> ReplyAsync(List<ChatMessage> conversation)
                    => _client.GetResponseAsync(conversation, _options);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ClientPipeline_ConfigureOptionsSetsCap_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CappedChat
            {
                private readonly IChatClient _client;

                public CappedChat(IChatClient inner)
                {
                    _client = new ChatClientBuilder(inner)
                        .ConfigureOptions(o => o.MaxOutputTokens ??= 800)
                        .UseFunctionInvocation()
                        .Build();
                }

                public Task<ChatResponse> AskAsync(List<ChatMessage> history) => _client.GetResponseAsync(history);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ClientPipeline_UseAgentGuard_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using AgentGuard;

            public sealed class GuardedChat(IChatClient inner)
            {
                private readonly IChatClient _client = inner.AsBuilder().UseAgentGuard(maxOutputTokens: 600).Build();

                public Task<ChatResponse> AskAsync(List<ChatMessage> history) => _client.GetResponseAsync(history);
            }

            namespace AgentGuard
            {
                public static class AgentGuardChatClientBuilderExtensions
                {
                    public static ChatClientBuilder UseAgentGuard(this ChatClientBuilder builder, int maxOutputTokens) => builder;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ClientPipeline_ConfigureOptionsWithoutCap_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TemperatureOnlyChat(IChatClient inner)
            {
                private readonly IChatClient _client = new ChatClientBuilder(inner)
                    .ConfigureOptions(o => o.Temperature = 0)
                    .Build();

                public Task<ChatResponse> AskAsync(List<ChatMessage> history) => {|#0:_client.GetResponseAsync(history)|};
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task LocalOptions_PassedToHelper_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse> StepAsync(List<ChatMessage> history)
                {
                    var options = new ChatOptions();
                    ApplyDefaults(options);
                    return client.GetResponseAsync(history, options);
                }

                private static void ApplyDefaults(ChatOptions options) => options.MaxOutputTokens = 500;
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PublicOptionsProperty_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConfigurableAgent(IChatClient client)
            {
                public ChatOptions Options { get; set; } = new() { Temperature = 0.5f };

                public Task<ChatResponse> StepAsync(List<ChatMessage> history) => client.GetResponseAsync(history, Options);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task OpenAiSdk_WithMaxOutputTokenCount_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Planner(ChatClient client)
            {
                public async Task<string> PlanAsync(List<ChatMessage> messages)
                {
                    var options = new ChatCompletionOptions { MaxOutputTokenCount = 300 };
                    ChatCompletion completion = await client.CompleteChatAsync(messages, options);
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SemanticKernel_SettingsObject_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class KernelChat(IChatCompletionService chat, PromptExecutionSettings configured)
            {
                public async Task<string?> AskAsync(ChatHistory history)
                {
                    var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 500 } };
                    var first = await chat.GetChatMessageContentAsync(history, settings);
                    var second = await chat.GetChatMessageContentAsync(history, configured);
                    return first.Content + second.Content;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task DelegatingClient_ForwardsOptions_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class AuditingChatClient(IChatClient inner) : DelegatingChatClient(inner)
            {
                public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                {
                    var response = await base.GetResponseAsync(messages, options, cancellationToken);
                    return response;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task AnthropicSdk_MaxTokensIsRequired_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Anthropic.Models.Messages;
            using Anthropic.Services;

            public sealed class ClaudeChat(IMessageService messages)
            {
                public Task<Message> AskAsync(MessageCreateParams request) => messages.Create(request);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LookalikeMethod_NotAModelCall_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;

            public sealed class FaqCache
            {
                public Task<string> GetResponseAsync(string question) => Task.FromResult("cached");
            }

            public sealed class FaqBot(FaqCache cache, Microsoft.Extensions.AI.IChatClient client)
            {
                public Task<string> AnswerAsync(string question) => cache.GetResponseAsync(question);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ConditionalOptions_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client, ChatOptions fast, ChatOptions careful)
            {
                public Task<ChatResponse> StepAsync(List<ChatMessage> history, bool hard)
                    => client.GetResponseAsync(history, hard ? careful : fast);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task NoModelApiReferenced_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            public sealed class Calculator
            {
                public int Add(int a, int b) => a + b;
            }
            """;

        var test = new Verify.Test { TestCode = source, ReferenceAssemblies = Infrastructure.TestReferences.Plain };
        await test.RunAsync();
    }

    private const string GuardedProgram = /* lang=c#-test */ """
        using AgentGuard;
        using Microsoft.Extensions.AI;

        public static class Startup
        {
            public static IChatClient Build(IChatClient inner)
                => new ChatClientBuilder(inner)
                    .UseAgentGuard(o => o.Budget = new BudgetPolicy { MaxOutputTokensPerStep = 800 })
                    .Build();
        }
        """;

    private const string ServiceCallingInjectedClient = /* lang=c#-test */ """
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public sealed class CatalogService(IChatClient chat)
        {
            public Task<ChatResponse> DescribeAsync(string sku) => chat.GetResponseAsync(sku, {|#0:new ChatOptions { Temperature = 0.2f }|});
        }
        """;

    [Fact]
    public async Task CallInService_PipelineCappedInUnregisteredFactory_Reports()
    {
        // Startup.Build caps the client it returns, but nothing shows that client is the one injected here.
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", GuardedProgram));
        test.TestState.Sources.Add(("CatalogService.cs", ServiceCallingInjectedClient));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap).WithLocation(0).WithMessage(null).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        await test.RunAsync();
    }

    private const string RegisteringProgram = /* lang=c#-test */ """
        using AgentGuard;
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Register(IServiceCollection services, IChatClient inner)
            {
                services.AddAgentGuard(o => o.Budget = new BudgetPolicy { MaxOutputTokensPerStep = 800 });
                services.AddChatClient(inner).UseFunctionInvocation().UseAgentGuard();
            }
        }
        """;

    private static string WithoutMarkup(string source)
        => source.Replace("{|#0:", string.Empty, StringComparison.Ordinal).Replace("|}", string.Empty, StringComparison.Ordinal);

    [Fact]
    public async Task CallInService_CappedPipelineRegisteredInDi_DoesNotReport()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", RegisteringProgram));
        test.TestState.Sources.Add(("CatalogService.cs", WithoutMarkup(ServiceCallingInjectedClient)));

        await test.RunAsync();
    }

    [Fact]
    public async Task CallInService_ConfigureOptionsCapRegisteredInDi_DoesNotReport()
    {
        const string program = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner)
                {
                    var chat = services.AddChatClient(inner);
                    chat.ConfigureOptions(o => o.MaxOutputTokens ??= 800);
                }
            }
            """;
        const string service = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public sealed class Summarizer
            {
                private readonly IChatClient _chat;

                public Summarizer(IChatClient chat) => _chat = chat;

                public Task<ChatResponse> SummarizeAsync(string text) => _chat.GetResponseAsync(text);

                public Task<ChatResponse> ResolvedAsync(IServiceProvider services, string text)
                    => services.GetRequiredService<IChatClient>().GetResponseAsync(text);
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", program));
        test.TestState.Sources.Add(("Summarizer.cs", service));

        await test.RunAsync();
    }

    [Fact]
    public async Task PrivateCappedClientInOneClass_DoesNotCoverAnotherClass_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CappedTranslator
            {
                private readonly IChatClient _client;

                public CappedTranslator(IChatClient inner)
                {
                    _client = inner.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens ??= 400).Build();
                }

                public Task<ChatResponse> TranslateAsync(string text) => _client.GetResponseAsync(text);
            }

            public sealed class Storyteller(IChatClient chat)
            {
                public Task<ChatResponse> TellAsync(List<ChatMessage> history) => {|#0:chat.GetResponseAsync(history)|};
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task CappedFieldInClass_OtherInjectedClientInSameClass_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TwoClients
            {
                private readonly IChatClient _capped;
                private readonly IChatClient _raw;

                public TwoClients(IChatClient inner, IChatClient raw)
                {
                    _capped = new ChatClientBuilder(inner).ConfigureOptions(o => o.MaxOutputTokens ??= 400).Build();
                    _raw = raw;
                }

                public Task<ChatResponse> CappedAsync(string text) => _capped.GetResponseAsync(text);

                public Task<ChatResponse> RawAsync(string text) => {|#0:_raw.GetResponseAsync(text)|};

                public Task<ChatResponse> LocalAsync(IChatClient inner, string text)
                {
                    var local = inner.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens = 200).Build();
                    return local.GetResponseAsync(text);
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    [Fact]
    public async Task TypedResponse_UncappedInjectedClient_PrivateCapElsewhere_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Sentiment(string Label, double Score);

            public sealed class CappedHelper(IChatClient inner)
            {
                private readonly IChatClient _client = inner.AsBuilder().ConfigureOptions(o => o.MaxOutputTokens ??= 400).Build();

                public Task<ChatResponse<Sentiment>> RateAsync(string review) => _client.GetResponseAsync<Sentiment>(review);
            }

            public sealed class ReviewRater(IChatClient chat)
            {
                public Task<ChatResponse<Sentiment>> RateAsync(string review) => {|#0:chat.GetResponseAsync<Sentiment>(review)|};
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, ExtensionsAiCap));
    }

    private const string KeyedProgram = /* lang=c#-test */ """
        using Microsoft.Extensions.AI;
        using Microsoft.Extensions.DependencyInjection;

        public static class Startup
        {
            public static void Register(IServiceCollection services, IChatClient inner)
            {
                services.AddKeyedChatClient("writer", inner).ConfigureOptions(o => o.MaxOutputTokens ??= 800);
                services.AddChatClient(inner).UseFunctionInvocation();
            }
        }
        """;

    [Fact]
    public async Task KeyedCappedRegistration_CoversOnlyThatKey_Reports()
    {
        const string service = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public sealed class Newsroom([FromKeyedServices("writer")] IChatClient writer, IChatClient editor)
            {
                public Task<ChatResponse> DraftAsync(string topic) => writer.GetResponseAsync(topic);

                public Task<ChatResponse> EditAsync(string draft) => {|#0:editor.GetResponseAsync(draft)|};
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", KeyedProgram));
        test.TestState.Sources.Add(("Newsroom.cs", service));
        test.ExpectedDiagnostics.Add(Expected(0, ExtensionsAiCap));

        await test.RunAsync();
    }

    [Fact]
    public async Task UnkeyedCappedRegistration_DoesNotCoverKeyedInjection_Reports()
    {
        const string program = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services, IChatClient inner)
                {
                    services.AddChatClient(inner).ConfigureOptions(o => o.MaxOutputTokens ??= 800);
                    services.AddKeyedChatClient("writer", inner);
                }
            }
            """;
        const string service = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;

            public sealed class Newsroom([FromKeyedServices("writer")] IChatClient writer, IChatClient editor)
            {
                public Task<ChatResponse> DraftAsync(string topic) => {|#0:writer.GetResponseAsync(topic)|};

                public Task<ChatResponse> EditAsync(string draft) => editor.GetResponseAsync(draft);
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", program));
        test.TestState.Sources.Add(("Newsroom.cs", service));
        test.ExpectedDiagnostics.Add(Expected(0, ExtensionsAiCap));

        await test.RunAsync();
    }

    [Fact]
    public async Task CallInService_GuardWithoutOutputCapAnywhere_Reports()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", GuardedProgram.Replace("new BudgetPolicy { MaxOutputTokensPerStep = 800 }", "new BudgetPolicy { MaxSteps = 8 }", StringComparison.Ordinal)));
        test.TestState.Sources.Add(("CatalogService.cs", ServiceCallingInjectedClient));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap).WithLocation(0).WithMessage(null).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        await test.RunAsync();
    }

    [Fact]
    public async Task CallInService_OutputCapOnlyOnAGeneratedAgentsBudget_Reports()
    {
        // [Budget(MaxOutputTokensPerStep = …)] caps the steps of one generated agent, not the injected client.
        const string agent = /* lang=c#-test */ """
            using AgentGuard;

            [Budget(MaxSteps = 5, MaxOutputTokensPerStep = 500)]
            public sealed partial class RefundDesk
            {
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(("Startup.cs", GuardedProgram.Replace("new BudgetPolicy { MaxOutputTokensPerStep = 800 }", "new BudgetPolicy { MaxSteps = 8 }", StringComparison.Ordinal)));
        test.TestState.Sources.Add(("RefundDesk.cs", agent));
        test.TestState.Sources.Add(("CatalogService.cs", ServiceCallingInjectedClient));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap).WithLocation(0).WithMessage(null).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

        await test.RunAsync();
    }

    [Fact]
    public async Task CallOnGuardFromFactory_ProjectSetsPerStepCap_DoesNotReport()
    {
        var source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.AI;

            public static class Guards
            {
                public static BudgetChatClient Create(IChatClient inner)
                    => new(inner, new AgentGuardOptions { Budget = new BudgetPolicy { MaxOutputTokensPerStep = 400 } });
            }

            public sealed class Service
            {
                public async Task<string> AskAsync(IChatClient inner)
                {
                    var guard = Guards.Create(inner);
                    var response = await guard.GetResponseAsync("hi");
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
