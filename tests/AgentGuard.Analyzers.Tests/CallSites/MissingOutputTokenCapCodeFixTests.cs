using AgentGuard.CodeFixes.CallSites;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.CallSites.MissingOutputTokenCapAnalyzer,
    AgentGuard.CodeFixes.CallSites.MissingOutputTokenCapCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.CallSites;

public sealed class MissingOutputTokenCapCodeFixTests
{
    private static DiagnosticResult Expected(int location, string cap = "ChatOptions.MaxOutputTokens")
        => Verify.Diagnostic(DiagnosticDescriptors.AG0002_MissingOutputTokenCap)
            .WithLocation(location)
            .WithArguments(cap)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task MissingOptions_PositionalSlot_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public async Task<string> AskAsync(List<ChatMessage> history)
                {
                    var response = await {|#0:client.GetResponseAsync(history)|};
                    return response.Text;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public async Task<string> AskAsync(List<ChatMessage> history)
                {
                    var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 1024 });
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task MissingOptions_AfterNamedCancellationToken_FixesWithNamedArgument()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(List<ChatMessage> history, CancellationToken ct)
                    => {|#0:client.GetResponseAsync(history, cancellationToken: ct)|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(List<ChatMessage> history, CancellationToken ct)
                    => client.GetResponseAsync(history, cancellationToken: ct, options: new ChatOptions { MaxOutputTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task StringPromptExtensionCall_AddsPositionalOptions_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Greeter(IChatClient client)
            {
                public Task<ChatResponse> GreetAsync(string name) => {|#0:client.GetResponseAsync("Greet " + name)|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Greeter(IChatClient client)
            {
                public Task<ChatResponse> GreetAsync(string name) => client.GetResponseAsync("Greet " + name, new ChatOptions { MaxOutputTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task NoUsingForOptionsType_QualifiesName_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;

            public sealed class Bot(Microsoft.Extensions.AI.IChatClient client)
            {
                public Task<Microsoft.Extensions.AI.ChatResponse> AskAsync(List<Microsoft.Extensions.AI.ChatMessage> history)
                    => {|#0:client.GetResponseAsync(history)|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;

            public sealed class Bot(Microsoft.Extensions.AI.IChatClient client)
            {
                public Task<Microsoft.Extensions.AI.ChatResponse> AskAsync(List<Microsoft.Extensions.AI.ChatMessage> history)
                    => client.GetResponseAsync(history, new Microsoft.Extensions.AI.ChatOptions { MaxOutputTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task NullOptions_ReplacedWithNewOptions_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ProductSummarizer(IChatClient client)
            {
                public Task<ChatResponse> SummarizeAsync(string description)
                    => client.GetResponseAsync("Summarize: " + description, {|#0:null|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ProductSummarizer(IChatClient client)
            {
                public Task<ChatResponse> SummarizeAsync(string description)
                    => client.GetResponseAsync("Summarize: " + description, new ChatOptions { MaxOutputTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task MultiLineInitializerWithTrailingComma_KeepsLayout_Fixes()
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
                        Temperature = 0, // deterministic answers
                        ToolMode = ChatToolMode.Auto,
                    };

                    return await client.GetResponseAsync(history, {|#0:options|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class OrderAgent(IChatClient client)
            {
                public async Task<ChatResponse> StepAsync(List<ChatMessage> history)
                {
                    var options = new ChatOptions
                    {
                        Temperature = 0, // deterministic answers
                        ToolMode = ChatToolMode.Auto,
                        MaxOutputTokens = 1024,
                    };

                    return await client.GetResponseAsync(history, options);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task MultiLineInitializerWithoutTrailingComma_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SupportBot(IChatClient client)
            {
                private readonly ChatOptions _options = new()
                {
                    ModelId = "gpt-4o"
                };

                public Task<ChatResponse> ReplyAsync(List<ChatMessage> conversation)
                    => client.GetResponseAsync(conversation, {|#0:_options|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SupportBot(IChatClient client)
            {
                private readonly ChatOptions _options = new()
                {
                    ModelId = "gpt-4o",
                    MaxOutputTokens = 1024
                };

                public Task<ChatResponse> ReplyAsync(List<ChatMessage> conversation)
                    => client.GetResponseAsync(conversation, _options);
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task SingleLineInitializer_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CatalogAssistant(IChatClient client)
            {
                public Task<ChatResponse> AnswerAsync(List<ChatMessage> messages)
                    => client.GetResponseAsync(messages, {|#0:new ChatOptions { Temperature = 0.2f }|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CatalogAssistant(IChatClient client)
            {
                public Task<ChatResponse> AnswerAsync(List<ChatMessage> messages)
                    => client.GetResponseAsync(messages, new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task EmptyConstructorCall_GetsInitializer_Fixes()
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
                    options.Tools = [AIFunctionFactory.Create(() => "ok", "ping")];
                    return client.GetResponseAsync(history, {|#0:options|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse> StepAsync(List<ChatMessage> history)
                {
                    var options = new ChatOptions { MaxOutputTokens = 1024 };
                    options.Tools = [AIFunctionFactory.Create(() => "ok", "ping")];
                    return client.GetResponseAsync(history, options);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0)], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task OpenAiParamsOverload_MovesToOptionsOverload_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using OpenAI.Chat;

            public sealed class Translator(ChatClient client)
            {
                public string Translate(string text)
                {
                    ChatCompletion completion = {|#0:client.CompleteChat(new SystemChatMessage("Translate to French."), new UserChatMessage(text))|};
                    return completion.Content[0].Text;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using OpenAI.Chat;

            public sealed class Translator(ChatClient client)
            {
                public string Translate(string text)
                {
                    ChatCompletion completion = client.CompleteChat(new ChatMessage[] { new SystemChatMessage("Translate to French."), new UserChatMessage(text) }, new ChatCompletionOptions { MaxOutputTokenCount = 1024 });
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "ChatCompletionOptions.MaxOutputTokenCount")], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task OpenAiParamsOverloadWithArray_AppendsOptions_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Classifier(ChatClient client)
            {
                public async Task<string> ClassifyAsync(string ticket)
                {
                    ChatMessage[] messages = [new SystemChatMessage("Classify the support ticket."), new UserChatMessage(ticket)];
                    ChatCompletion completion = await {|#0:client.CompleteChatAsync(messages)|};
                    return completion.Content[0].Text;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Classifier(ChatClient client)
            {
                public async Task<string> ClassifyAsync(string ticket)
                {
                    ChatMessage[] messages = [new SystemChatMessage("Classify the support ticket."), new UserChatMessage(ticket)];
                    ChatCompletion completion = await client.CompleteChatAsync(messages, new ChatCompletionOptions { MaxOutputTokenCount = 1024 });
                    return completion.Content[0].Text;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "ChatCompletionOptions.MaxOutputTokenCount")], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task OpenAiOptionsLocal_AddsMaxOutputTokenCount_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Planner(ChatClient client)
            {
                public async Task<ChatCompletion> PlanAsync(List<ChatMessage> messages)
                {
                    ChatCompletionOptions options = new() { Temperature = 0.3f };
                    return await client.CompleteChatAsync(messages, {|#0:options|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class Planner(ChatClient client)
            {
                public async Task<ChatCompletion> PlanAsync(List<ChatMessage> messages)
                {
                    ChatCompletionOptions options = new() { Temperature = 0.3f, MaxOutputTokenCount = 1024 };
                    return await client.CompleteChatAsync(messages, options);
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "ChatCompletionOptions.MaxOutputTokenCount")], fixedSource, equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task EditorConfigDefaultMaxOutputTokens_UsedByFix_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(List<ChatMessage> history) => {|#0:client.GetResponseAsync(history)|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(List<ChatMessage> history) => client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 512 });
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0)],
            fixedSource,
            editorConfig: "agentguard.default_max_output_tokens = 512",
            equivalenceKey: MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens);
    }

    [Fact]
    public async Task SeveralCallsInOneFile_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class MultiStepAgent(IChatClient client)
            {
                private readonly ChatOptions _planning = new() { Temperature = 0 };

                public async Task<string> RunAsync(List<ChatMessage> history)
                {
                    var plan = await client.GetResponseAsync(history, {|#0:_planning|});
                    history.AddMessages(plan);
                    var answer = await {|#1:client.GetResponseAsync(history)|};
                    var summary = await client.GetResponseAsync("Summarize: " + answer.Text, {|#2:null|});
                    return summary.Text;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class MultiStepAgent(IChatClient client)
            {
                private readonly ChatOptions _planning = new() { Temperature = 0, MaxOutputTokens = 1024 };

                public async Task<string> RunAsync(List<ChatMessage> history)
                {
                    var plan = await client.GetResponseAsync(history, _planning);
                    history.AddMessages(plan);
                    var answer = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 1024 });
                    var summary = await client.GetResponseAsync("Summarize: " + answer.Text, new ChatOptions { MaxOutputTokens = 1024 });
                    return summary.Text;
                }
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = MissingOutputTokenCapCodeFixProvider.Key_AddMaxOutputTokens,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange([Expected(0), Expected(1), Expected(2)]);
        await test.RunAsync();
    }

    [Fact]
    public async Task SemanticKernelCall_NoSettings_PassesConnectorSettings()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class KernelChat(IChatCompletionService chat)
            {
                public Task<ChatMessageContent> AskAsync(ChatHistory history) => {|#0:chat.GetChatMessageContentAsync(history)|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;
            using Microsoft.SemanticKernel.Connectors.OpenAI;

            public sealed class KernelChat(IChatCompletionService chat)
            {
                public Task<ChatMessageContent> AskAsync(ChatHistory history) => chat.GetChatMessageContentAsync(history, new OpenAIPromptExecutionSettings { MaxTokens = 1024 });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "MaxTokens on the execution settings")], fixedSource);
    }
}
