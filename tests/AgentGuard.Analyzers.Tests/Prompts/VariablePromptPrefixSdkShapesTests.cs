using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Prompts.VariablePromptPrefixAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Prompts;

/// <summary>AG0003 on the SDK shapes beyond chat messages: Responses API, Agent Framework, Anthropic, Semantic Kernel templates.</summary>
public sealed class VariablePromptPrefixSdkShapesTests
{
    private const string MoveAfter = "move the variable part after the stable text";

    private static DiagnosticResult Expected(int location, string subject, string stable, string advice = MoveAfter)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix)
            .WithLocation(location)
            .WithArguments(subject, stable, advice)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string Chars(int count) => count + " characters of stable prompt text";

    // ---------------------------------------------------------------- OpenAI Responses API

    [Fact]
    public async Task ResponsesInstructions_DateFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001 // The Responses API is marked for evaluation.
            using System;
            using OpenAI.Responses;

            public static class Requests
            {
                public static CreateResponseOptions Create() => new()
                {
                    Instructions = $"Today is {|#0:{DateTime.Now:D}|}. You are a travel agent; suggest three itineraries per request.",
                    MaxOutputTokenCount = 500,
                };
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "DateTime.Now", Chars(64)));
    }

    [Fact]
    public async Task ResponsesInstructions_StableFirstOrConfiguration_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            #pragma warning disable OPENAI001 // The Responses API is marked for evaluation.
            using System;
            using OpenAI.Responses;

            public sealed class Requests(Requests.Settings settings)
            {
                public sealed class Settings { public string Persona { get; set; } = ""; }

                public CreateResponseOptions Create() => new()
                {
                    Instructions = $"You are a travel agent; suggest three itineraries per request. Today is {DateTime.Now:D}.",
                };

                public CreateResponseOptions Configured() => new()
                {
                    Instructions = $"{settings.Persona}: you are a travel agent; suggest three itineraries per request.",
                };
            }
            """;

        await Verify.VerifyAsync(source);
    }

    // ---------------------------------------------------------------- Microsoft Agent Framework

    [Fact]
    public async Task AgentInstructions_AsAIAgentAndConstructorAndOptions_Report()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Planner(IChatClient chatClient)
                    => chatClient.AsAIAgent(instructions: $"Now: {|#0:{DateTime.UtcNow:O}|}. You are a planner. Break every goal into numbered steps.");

                public static AIAgent Critic(IChatClient chatClient, string user)
                    => new ChatClientAgent(chatClient, instructions: "User " + {|#1:user|} + ". You are a critic. Point out the weakest step of every plan.");

                public static AIAgent Writer(IChatClient chatClient, Guid session)
                    => new ChatClientAgent(chatClient, new ChatClientAgentOptions
                    {
                        Name = "writer",
                        ChatOptions = new ChatOptions { Instructions = $"Session {|#2:{session}|}. You are a technical writer for the Contoso docs team." },
                    });
            }
            """;

        await Verify.VerifyAsync(
            source,
            Expected(0, "DateTime.UtcNow", Chars(58)),
            Expected(1, "The variable part 'user'", Chars(61)),
            Expected(2, "The variable part '{session}'", Chars(55)));
    }

    [Fact]
    public async Task AgentInstructions_StableFirstOrConstant_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public sealed class Agents(IChatClient chatClient)
            {
                private const string Team = "Contoso docs";
                private readonly string _persona = "a technical writer";

                public AIAgent Writer(string user)
                    => chatClient.AsAIAgent(instructions: $"You are {_persona} for the {Team} team. Write in plain English. The user is {user}.", name: user);

                public AIAgent Reviewer() => new ChatClientAgent(chatClient, instructions: $"You review pull requests for the {Team} team; be kind and precise.");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task AgentTools_FromHashSet_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public sealed class AgentFactory(IChatClient chatClient)
            {
                private readonly HashSet<AITool> _tools = new();

                public AIAgent Create() => chatClient.AsAIAgent(instructions: "You are a helpful assistant.", tools: {|#0:_tools.ToList()|});

                public AIAgent Sorted() => chatClient.AsAIAgent(instructions: "You are a helpful assistant.", tools: _tools.OrderBy(t => t.Name).ToList());
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The tool list (enumerated from a HashSet)", "the system prompt and the conversation", "build the tool list in a fixed order"));
    }

    // ---------------------------------------------------------------- OpenAI's get-only tool list

    [Fact]
    public async Task OpenAITools_AddedFromHashSetInLoop_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using OpenAI.Chat;

            public static class Setup
            {
                public static ChatCompletionOptions Create(HashSet<ChatTool> tools)
                {
                    var options = new ChatCompletionOptions { MaxOutputTokenCount = 300 };
                    foreach (var tool in {|#0:tools|})
                    {
                        options.Tools.Add(tool);
                    }

                    return options;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The tool list (enumerated from a HashSet)", "the system prompt and the conversation", "build the tool list in a fixed order"));
    }

    [Fact]
    public async Task OpenAITools_AddedFromListOrSortedOrOtherList_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using OpenAI.Chat;

            public static class Setup
            {
                public static ChatCompletionOptions Create(List<ChatTool> tools, HashSet<ChatTool> set, HashSet<string> stops)
                {
                    var options = new ChatCompletionOptions { MaxOutputTokenCount = 300 };
                    foreach (var tool in tools)
                    {
                        options.Tools.Add(tool);
                    }

                    foreach (var tool in set.OrderBy(t => t.FunctionName))
                    {
                        options.Tools.Add(tool);
                    }

                    foreach (var stop in stops)
                    {
                        options.StopSequences.Add(stop);
                    }

                    return options;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    // ---------------------------------------------------------------- Anthropic

    [Fact]
    public async Task AnthropicSystemString_UserFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Anthropic.Models.Messages;

            public static class Requests
            {
                public static MessageCreateParams Create(string userName, string question) => new()
                {
                    Model = "claude-sonnet-4-5",
                    MaxTokens = 1024,
                    System = $"The user is {|#0:{userName}|}. You are the Contoso support assistant; answer from the handbook only.",
                    Messages = [],
                };
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The variable part '{userName}'", Chars(71)));
    }

    [Fact]
    public async Task AnthropicSystemBlocks_CacheBreakpointAfterVariableBlock_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Anthropic.Models.Messages;

            public static class Requests
            {
                public static MessageCreateParams Create(string question) => new()
                {
                    Model = "claude-sonnet-4-5",
                    MaxTokens = 1024,
                    System = new List<TextBlockParam>
                    {
                        {|#0:new TextBlockParam { Text = $"Current time: {DateTime.UtcNow:O}" }|},
                        new TextBlockParam { Text = "Short rules.", CacheControl = new CacheControlEphemeral() },
                    },
                    Messages = [],
                };
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "A system block with variable content", "12 characters of constant system blocks and a cache breakpoint", "put the constant blocks first"));
    }

    [Fact]
    public async Task AnthropicSystemBlocks_CachedStableBlockFirst_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Anthropic.Models.Messages;

            public static class Requests
            {
                public static MessageCreateParams Create(string question) => new()
                {
                    Model = "claude-sonnet-4-5",
                    MaxTokens = 1024,
                    System = new List<TextBlockParam>
                    {
                        new TextBlockParam { Text = "You are the Contoso support assistant; answer from the handbook only.", CacheControl = new CacheControlEphemeral() },
                        new TextBlockParam { Text = $"Current time: {DateTime.UtcNow:O}" },
                    },
                    Messages = [],
                };
            }
            """;

        await Verify.VerifyAsync(source);
    }

    // ---------------------------------------------------------------- Semantic Kernel templates

    [Fact]
    public async Task KernelTemplate_InputOrTimeFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Summarize(Kernel kernel, string text)
                    => kernel.InvokePromptAsync({|#0:"{{$input}}\nSummarize the text above in three bullet points for an executive audience."|}, new() { ["input"] = text });

                public static KernelFunction Greeter(Kernel kernel)
                    => kernel.CreateFunctionFromPrompt({|#1:"{{time.Now}} You are a friendly greeter. Greet the user by name and mention the weather."|});
            }
            """;

        // An ordinary variable counts once the stable text after it is long enough to be cached on its own.
        await Verify.VerifyAsync(
            source,
            "AG0003.min_template_stable_length = 64",
            Expected(0, "The template block '{{$input}}'", Chars(75)),
            Expected(1, "The template block '{{time.Now}}'", Chars(76)));
    }

    [Fact]
    public async Task KernelTemplate_ShortStableText_DoesNotReport_WhateverComesFirst()
    {
        // A template is the whole request: some 80 stable characters are never cached, whatever precedes them.
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Summarize(Kernel kernel, string text)
                    => kernel.InvokePromptAsync("{{$input}}\nSummarize the text above in three bullet points for an executive audience.", new() { ["input"] = text });

                public static Task<FunctionResult> Topic(Kernel kernel)
                    => kernel.InvokePromptAsync("Tell me about {{$topic}}. Answer in two short paragraphs for a newcomer.");

                public static Task<FunctionResult> Countdown(Kernel kernel)
                    => kernel.InvokePromptAsync("The current time is {{time.Now}}. How many days are left until the end of the year?");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task KernelTemplate_InputLastOrConstantBlockOrHandlebars_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Answer(Kernel kernel, string question)
                    => kernel.InvokePromptAsync("You are a support assistant for Contoso. Answer briefly and cite the handbook.\nQuestion: {{$input}}", new() { ["input"] = question });

                public static Task<FunctionResult> Quoted(Kernel kernel)
                    => kernel.InvokePromptAsync("{{'Contoso'}} support: answer briefly and cite the handbook section every time.");

                public static KernelFunction Handlebars(Kernel kernel)
                    => kernel.CreateFunctionFromPrompt("{{input}} Summarize the text above in three bullet points for an executive audience.", templateFormat: "handlebars");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    // ---------------------------------------------------------------- Semantic Kernel history

    [Fact]
    public async Task SecondSystemMessageWithTheQueryFirst_AfterAStableOne_DoesNotReport()
    {
        // The first system message is the cached head; the per-request second one cannot share its text anyway.
        const string source = /* lang=c#-test */ """
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Search
            {
                private const string Rules = "You are the catalog assistant of an outdoor-gear shop. Answer only from the items given.";

                public static ChatHistory Build(string query, string items)
                {
                    var history = new ChatHistory();
                    history.AddSystemMessage(Rules);
                    history.AddSystemMessage($"User searched for: {query}. Items found: {items}. Recommend at most three of them and say why each one fits.");
                    return history;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task FirstSystemMessageWithTheQueryFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Search
            {
                public static ChatHistory Build(string query)
                {
                    var history = new ChatHistory();
                    history.AddSystemMessage($"User searched for: {query}. Recommend at most three items of the outdoor-gear catalog and say why each one fits.");
                    return history;
                }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix)
                .WithSpan(8, 55, 8, 62)
                .WithArguments("The variable part '{query}'", Chars(86), MoveAfter)
                .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
    }
}
