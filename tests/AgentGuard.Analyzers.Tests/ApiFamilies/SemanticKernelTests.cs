using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer,
    AgentGuard.CodeFixes.CallSites.MissingOutputTokenCapCodeFixProvider>;
using VerifyHistory = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedHistoryAnalyzer>;
using VerifyCap = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer>;

namespace AgentGuard.Analyzers.Tests.ApiFamilies;

/// <summary>Semantic Kernel: chat-completion services with connector settings, and prompts the kernel sends.</summary>
public sealed class SemanticKernelTests
{
    private const string Cap = "MaxTokens on the execution settings";

    private static DiagnosticResult Expected(int location)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(Cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task ConnectorSettings_WithoutMaxTokens_AddsIt()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Assistant(IChatCompletionService chat, Kernel kernel)
            {
                public async Task<string?> AskAsync(ChatHistory history)
                {
                    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
                    var reply = await chat.GetChatMessageContentAsync(history, {|#0:settings|}, kernel);
                    return reply.Content;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Assistant(IChatCompletionService chat, Kernel kernel)
            {
                public async Task<string?> AskAsync(ChatHistory history)
                {
                    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), MaxTokens = 1024 };
                    var reply = await chat.GetChatMessageContentAsync(history, settings, kernel);
                    return reply.Content;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task BaseSettings_WithoutCapKey_AddsExtensionData()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class Assistant(IChatCompletionService chat)
            {
                public Task<ChatMessageContent> AskAsync(ChatHistory history)
                    => chat.GetChatMessageContentAsync(history, {|#0:new PromptExecutionSettings { ModelId = "gpt-4o" }|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class Assistant(IChatCompletionService chat)
            {
                public Task<ChatMessageContent> AskAsync(ChatHistory history)
                    => chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { ModelId = "gpt-4o", ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 1024 } });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task InvokePrompt_WithoutArguments_PassesCappedArguments()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public sealed class Summarizer(Kernel kernel)
            {
                public async Task<string> SummarizeAsync(string text)
                {
                    var result = await {|#0:kernel.InvokePromptAsync($"Summarize: {text}")|};
                    return result.ToString();
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Summarizer(Kernel kernel)
            {
                public async Task<string> SummarizeAsync(string text)
                {
                    var result = await kernel.InvokePromptAsync($"Summarize: {text}", new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 1024 }));
                    return result.ToString();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task InvokePrompt_ArgumentsWithoutSettings_AddsSettings()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public sealed class Translator(Kernel kernel)
            {
                public async Task<string> TranslateAsync(string text)
                {
                    var arguments = new KernelArguments { ["input"] = text };
                    var result = await kernel.InvokePromptAsync("Translate to French: {{$input}}", {|#0:arguments|});
                    return result.ToString();
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Translator(Kernel kernel)
            {
                public async Task<string> TranslateAsync(string text)
                {
                    var arguments = new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 1024 }) { ["input"] = text };
                    var result = await kernel.InvokePromptAsync("Translate to French: {{$input}}", arguments);
                    return result.ToString();
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource);
    }

    [Fact]
    public async Task InvokePrompt_UncappedSettingsInArguments_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Planner(Kernel kernel)
            {
                public async Task<string> PlanAsync(string goal)
                {
                    var result = await kernel.InvokePromptAsync(goal, new KernelArguments({|#0:new OpenAIPromptExecutionSettings { Temperature = 0 }|}));
                    return result.ToString();
                }
            }
            """;

        await VerifyCap.VerifyAsync(source, Expected(0));
    }

    [Fact]
    public async Task SettingsLocalWrappedInArguments_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Planner(Kernel kernel)
            {
                public async Task<string> PlanAsync(string goal)
                {
                    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
                    var first = await kernel.InvokePromptAsync(goal, new KernelArguments({|#0:settings|}));
                    var second = await kernel.InvokePromptAsync("Refine: " + first, new({|#1:settings|}));
                    return second.ToString();
                }
            }
            """;

        await VerifyCap.VerifyAsync(source, Expected(0), Expected(1));
    }

    [Fact]
    public async Task ArgumentsLocalWithUncappedSettings_SentTwice_ReportsEachCall_FixesTheSettingsOnce()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Writer(Kernel kernel)
            {
                public async Task WriteAsync()
                {
                    var arguments = new KernelArguments(new OpenAIPromptExecutionSettings { Temperature = 0 });
                    await kernel.InvokePromptAsync("Write a haiku.", {|#0:arguments|});
                    await kernel.InvokePromptAsync("Write a limerick.", {|#1:arguments|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Writer(Kernel kernel)
            {
                public async Task WriteAsync()
                {
                    var arguments = new KernelArguments(new OpenAIPromptExecutionSettings { Temperature = 0, MaxTokens = 1024 });
                    await kernel.InvokePromptAsync("Write a haiku.", arguments);
                    await kernel.InvokePromptAsync("Write a limerick.", arguments);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0), Expected(1)], fixedSource);
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task CappedSettings_SettingsFromHelper_PromptConfig_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class Assistant(IChatCompletionService chat, Kernel kernel)
            {
                public async Task RunAsync(ChatHistory history, string question, KernelArguments injected)
                {
                    await chat.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { MaxTokens = 300 });
                    await chat.GetChatMessageContentAsync(history, new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 300 } });
                    await chat.GetChatMessageContentAsync(history, CreateSettings());
                    await kernel.InvokePromptAsync(question, new KernelArguments(CreateSettings()));
                    await kernel.InvokePromptAsync(question, injected);
                    var capped = new KernelArguments(new OpenAIPromptExecutionSettings { MaxTokens = 200 }) { ["q"] = question };
                    await kernel.InvokePromptAsync("{{$q}}", capped);
                }

                private static OpenAIPromptExecutionSettings CreateSettings() => new() { MaxTokens = 500 };
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    [Fact]
    public async Task ArgumentsGivenToAHelperFirst_AreQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public sealed class Translator(Kernel kernel)
            {
                public async Task<string> TranslateAsync(string text)
                {
                    var arguments = new KernelArguments { ["input"] = text };
                    AddDefaults(arguments);
                    var result = await kernel.InvokePromptAsync("Translate: {{$input}}", arguments);
                    return result.ToString();
                }

                private static void AddDefaults(KernelArguments arguments) { }
            }
            """;

        await VerifyCap.VerifyAsync(source);
    }

    [Fact]
    public async Task HistorySentThroughAReducerWrappedService_IsQuiet()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            /// A service that reduces the history before every request.
            public sealed class ChatCompletionServiceWithReducer(IChatCompletionService inner, IChatHistoryReducer reducer) : IChatCompletionService
            {
                public IReadOnlyDictionary<string, object?> Attributes => inner.Attributes;

                public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                {
                    var reduced = await reducer.ReduceAsync(chatHistory, cancellationToken) ?? chatHistory;
                    return await inner.GetChatMessageContentsAsync(new ChatHistory(reduced), executionSettings, kernel, cancellationToken);
                }

                public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
                    => inner.GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken);
            }

            public static class ConsoleChat
            {
                public static async Task RunAsync(IChatCompletionService service, IChatHistoryReducer reducer)
                {
                    var chat = new ChatCompletionServiceWithReducer(service, reducer);
                    var settings = new OpenAIPromptExecutionSettings { MaxTokens = 300 };
                    var history = new ChatHistory("You are a helpful assistant.");
                    while (Console.ReadLine() is { Length: > 0 } line)
                    {
                        history.AddUserMessage(line);
                        var reply = await chat.GetChatMessageContentAsync(history, settings);
                        history.Add(reply);
                    }
                }
            }
            """;

        await VerifyHistory.VerifyAsync(source);
    }
}
