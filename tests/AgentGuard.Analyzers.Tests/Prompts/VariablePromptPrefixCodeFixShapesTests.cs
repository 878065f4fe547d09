using AgentGuard.CodeFixes.Prompts;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Prompts.VariablePromptPrefixAnalyzer,
    AgentGuard.CodeFixes.Prompts.VariablePromptPrefixCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Prompts;

/// <summary>AG0003's fixes beyond interpolated strings and concatenations, one per shape of the diagnostic.</summary>
public sealed class VariablePromptPrefixCodeFixShapesTests
{
    /// <summary>Short templates whose input comes first are judged as if their stable text were cacheable.</summary>
    private const string TemplateThreshold = "AG0003.min_template_stable_length = 32";

    private const string MoveAfter = "move the variable part after the stable text";
    private const string ToolList = "the system prompt and the conversation";
    private const string FixedOrder = "build the tool list in a fixed order";

    private static DiagnosticResult Expected(int location, string subject, string stable, string advice = MoveAfter)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix)
            .WithLocation(location)
            .WithArguments(subject, stable, advice)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string Chars(int count) => count + " characters of stable prompt text";

    // ---------------------------------------------------------------- string.Format, StringBuilder, raw strings, templates

    [Fact]
    public async Task StringFormat_SessionFirst_RewritesAsInterpolatedString_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage System(Guid sessionId)
                    => new SystemChatMessage(string.Format("Session {0}. You are a travel planner. Suggest three options.", {|#0:sessionId|}));
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage System(Guid sessionId)
                    => new SystemChatMessage($"You are a travel planner. Suggest three options. Session {sessionId}.");
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part 'sessionId'", Chars(50))], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task StringFormat_SideEffectingValuesOutOfOrder_OffersNoFix()
    {
        const string source = /* lang=c#-test */ """
            using OpenAI.Chat;

            public sealed class Prompts
            {
                private int _next;

                public ChatMessage System()
                    => new SystemChatMessage(string.Format("Ticket {1} of {0}. You are a support agent. Be concise and polite.", Next(), {|#0:Next()|}));

                private int Next() => ++_next;
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part 'Next()'", Chars(53))], source);
    }

    [Fact]
    public async Task StringBuilder_TimestampLineFirst_MovesAppendAfterStableLines_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Text;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage Build(string toneOfVoice)
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                    prompt.AppendLine("You are an e-commerce assistant for eShop.");
                    prompt.Append("Tone: ").Append(toneOfVoice);
                    return ChatMessage.CreateSystemMessage({|#0:prompt.ToString()|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Text;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage Build(string toneOfVoice)
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine("You are an e-commerce assistant for eShop.");
                    prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                    prompt.Append("Tone: ").Append(toneOfVoice);
                    return ChatMessage.CreateSystemMessage(prompt.ToString());
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "DateTime.UtcNow", Chars(50))], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariableAppendsLast);
    }

    [Fact]
    public async Task StringBuilder_AppendInsideCondition_OffersNoFix()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Text;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage Build(bool verbose)
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                    if (verbose)
                    {
                        prompt.AppendLine("Explain every step in detail, with examples.");
                    }

                    prompt.AppendLine("You are an e-commerce assistant for eShop.");
                    return ChatMessage.CreateSystemMessage({|#0:prompt.ToString()|});
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "DateTime.UtcNow", Chars(89))], source);
    }

    [Fact]
    public async Task RawString_CustomerLineFirst_KeepsRawLayout_Fixes()
    {
        const string source = /* lang=c#-test */ """"
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System(string customer)
                    => new(ChatRole.System, $"""
                        Customer: {|#0:{customer}|}
                        You are the Contoso Outdoors assistant.
                        Answer questions about hiking gear only.
                        """);
            }
            """";
        const string fixedSource = /* lang=c#-test */ """"
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System(string customer)
                    => new(ChatRole.System, $"""
                        You are the Contoso Outdoors assistant.
                        Answer questions about hiking gear only.
                        Customer: {customer}
                        """);
            }
            """";

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part '{customer}'", Chars(81))], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task ConcatenationWithRawLiteral_RewritesAsInterpolatedString_Fixes()
    {
        const string source = /* lang=c#-test */ """"
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System(string customer)
                    => new(ChatRole.System, "Customer: " + {|#0:customer|} + """

                        You are the Contoso Outdoors assistant. Answer questions about hiking gear only.
                        """);
            }
            """";
        const string fixedSource = /* lang=c#-test */ """"
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System(string customer)
                    => new(ChatRole.System, $"You are the Contoso Outdoors assistant. Answer questions about hiking gear only.\nCustomer: {customer}");
            }
            """";

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part 'customer'", Chars(81))], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task KernelTemplate_InputFirst_MovesBlockLast_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Summarize(Kernel kernel, string text)
                    => kernel.InvokePromptAsync({|#0:"{{$input}}\nSummarize the text above in three bullet points for an executive audience."|}, new() { ["input"] = text });
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Summarize(Kernel kernel, string text)
                    => kernel.InvokePromptAsync("Summarize the text above in three bullet points for an executive audience.\n{{$input}}", new() { ["input"] = text });
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The template block '{{$input}}'", Chars(75))], fixedSource, editorConfig: TemplateThreshold, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    // ---------------------------------------------------------------- message order and inserts

    [Fact]
    public async Task MessageList_UserQuestionFirst_MovesConstantMessagesFirst_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public static class Requests
            {
                public static List<ChatMessage> Build(string question) =>
                [
                    {|#0:new(ChatRole.User, question)|},
                    new(ChatRole.System, "You are a helpful assistant. Cite your sources and answer in English."),
                    new(ChatRole.User, "Example: what is the capital of France?"),
                ];
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public static class Requests
            {
                public static List<ChatMessage> Build(string question) =>
                [
                    new(ChatRole.System, "You are a helpful assistant. Cite your sources and answer in English."),
                    new(ChatRole.User, "Example: what is the capital of France?"),
                    new(ChatRole.User, question),
                ];
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "A message with variable content", "108 characters of constant messages", "put the constant messages first")],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveStableMessagesFirst);
    }

    [Fact]
    public async Task AnthropicSystemBlocks_VariableBlockBeforeCachedBlock_MovesCachedBlockFirst_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Anthropic.Models.Messages;

            public static class Requests
            {
                public static MessageCreateParams Create() => new()
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
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Anthropic.Models.Messages;

            public static class Requests
            {
                public static MessageCreateParams Create() => new()
                {
                    Model = "claude-sonnet-4-5",
                    MaxTokens = 1024,
                    System = new List<TextBlockParam>
                    {
                        new TextBlockParam { Text = "Short rules.", CacheControl = new CacheControlEphemeral() },
                        new TextBlockParam { Text = $"Current time: {DateTime.UtcNow:O}" },
                    },
                    Messages = [],
                };
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "A system block with variable content", "12 characters of constant system blocks and a cache breakpoint", "put the constant blocks first")],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveStableMessagesFirst);
    }

    [Fact]
    public async Task HistoryInsertAtStart_InsertsAfterSystemMessage_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ChatSession
            {
                public List<ChatMessage> Start(string userName, string greeting)
                {
                    var history = new List<ChatMessage>
                    {
                        new(ChatRole.System, "You are the eShop concierge. Help customers find products."),
                        new(ChatRole.Assistant, "Hello! How can I help you today?"),
                    };
                    history.Add(new ChatMessage(ChatRole.User, greeting));
                    {|#0:history.Insert(0, new ChatMessage(ChatRole.System, $"Customer name: {userName}"))|};
                    return history;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ChatSession
            {
                public List<ChatMessage> Start(string userName, string greeting)
                {
                    var history = new List<ChatMessage>
                    {
                        new(ChatRole.System, "You are the eShop concierge. Help customers find products."),
                        new(ChatRole.Assistant, "Hello! How can I help you today?"),
                    };
                    history.Add(new ChatMessage(ChatRole.User, greeting));
                    history.Insert(2, new ChatMessage(ChatRole.System, $"Customer name: {userName}"));
                    return history;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "A message with variable content inserted at index 0", "the constant system message (58 characters)", "add it after the system message")],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_InsertAfterStablePrefix);
    }

    [Fact]
    public async Task HistoryInsertAtStart_HistoryPassedOnFirst_OffersNoFix()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ChatSession
            {
                public List<ChatMessage> Start(string userName)
                {
                    var history = new List<ChatMessage>
                    {
                        new(ChatRole.System, "You are the eShop concierge. Help customers find products."),
                    };
                    Restore(history);
                    {|#0:history.Insert(0, new ChatMessage(ChatRole.System, $"Customer name: {userName}"))|};
                    return history;
                }

                private static void Restore(List<ChatMessage> history) => history.Clear();
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "A message with variable content inserted at index 0", "the constant system message (58 characters)", "add it after the system message")],
            source);
    }

    // ---------------------------------------------------------------- tools

    [Fact]
    public async Task Tools_FromHashSet_OrdersByNameAndAddsUsing_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public sealed class ToolRegistry
            {
                private readonly HashSet<AITool> _tools = new();

                public void Register(AITool tool) => _tools.Add(tool);

                public ChatOptions CreateOptions() => new()
                {
                    MaxOutputTokens = 800,
                    Tools = {|#0:_tools.ToList()|},
                };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public sealed class ToolRegistry
            {
                private readonly HashSet<AITool> _tools = new();

                public void Register(AITool tool) => _tools.Add(tool);

                public ChatOptions CreateOptions() => new()
                {
                    MaxOutputTokens = 800,
                    Tools = _tools.OrderBy(tool => tool.Name, StringComparer.Ordinal).ToList(),
                };
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "The tool list (enumerated from a HashSet)", ToolList, FixedOrder)],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_OrderToolsByName);
    }

    [Fact]
    public async Task Tools_RandomOrder_ReplacesRandomKeyWithName_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static void Apply(ChatOptions options, IEnumerable<AITool> tools)
                    => options.Tools = {|#0:tools.OrderBy(_ => Random.Shared.Next()).ToList()|};
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static void Apply(ChatOptions options, IEnumerable<AITool> tools)
                    => options.Tools = tools.OrderBy(tool => tool.Name, StringComparer.Ordinal).ToList();
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "The tool list (ordered by Random.Next())", ToolList, FixedOrder)],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_OrderToolsByName);
    }

    [Fact]
    public async Task Tools_SpreadOfSet_SortsTheSpread_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static ChatOptions Create(ISet<AITool> tools) => new() { Tools = {|#0:[.. tools]|} };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static ChatOptions Create(ISet<AITool> tools) => new() { Tools = [.. tools.OrderBy(tool => tool.Name, StringComparer.Ordinal)] };
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "The tool list (enumerated from a ISet)", ToolList, FixedOrder)],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_OrderToolsByName);
    }

    [Fact]
    public async Task OpenAITools_AddedFromHashSetInLoop_SortsByFunctionName_Fixes()
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
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using OpenAI.Chat;

            public static class Setup
            {
                public static ChatCompletionOptions Create(HashSet<ChatTool> tools)
                {
                    var options = new ChatCompletionOptions { MaxOutputTokenCount = 300 };
                    foreach (var tool in tools.OrderBy(tool => tool.FunctionName, StringComparer.Ordinal))
                    {
                        options.Tools.Add(tool);
                    }

                    return options;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "The tool list (enumerated from a HashSet)", ToolList, FixedOrder)],
            fixedSource,
            equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_OrderToolsByName);
    }

    // ---------------------------------------------------------------- Fix All

    [Fact]
    public async Task FormatTemplateAndConcatenation_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static ChatMessage Planner(string goal)
                    => new(ChatRole.System, string.Format("Goal: {0}\nYou are a planning agent. Break the goal into numbered steps.", {|#0:goal|}));

                public static ChatMessage Critic(int round)
                    => new(ChatRole.System, "Round " + {|#1:round|} + "\nYou are a critic. Point out the weakest step and explain why.");

                public static Task<FunctionResult> Summarize(Kernel kernel)
                    => kernel.InvokePromptAsync({|#2:"{{time.Now}}\nSummarize the text below in three bullet points.\n{{$input}}"|});
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static ChatMessage Planner(string goal)
                    => new(ChatRole.System, $"You are a planning agent. Break the goal into numbered steps.\nGoal: {goal}");

                public static ChatMessage Critic(int round)
                    => new(ChatRole.System, $"You are a critic. Point out the weakest step and explain why.\nRound {round}");

                public static Task<FunctionResult> Summarize(Kernel kernel)
                    => kernel.InvokePromptAsync("Summarize the text below in three bullet points.\n{{time.Now}}\n{{$input}}");
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "The variable part 'goal'", Chars(62)),
            Expected(1, "The variable part 'round'", Chars(62)),
            Expected(2, "The template block '{{time.Now}}'", Chars(50)),
        ]);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + TemplateThreshold));
        await test.RunAsync();
    }

    [Fact]
    public async Task ToolLists_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public sealed class Requests
            {
                private readonly HashSet<AITool> _search = new();
                private readonly ISet<AITool> _admin = new HashSet<AITool>();

                public ChatOptions Search() => new() { Tools = {|#0:_search.ToList()|} };

                public ChatOptions Admin() => new() { Tools = {|#1:_admin.ToList()|} };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public sealed class Requests
            {
                private readonly HashSet<AITool> _search = new();
                private readonly ISet<AITool> _admin = new HashSet<AITool>();

                public ChatOptions Search() => new() { Tools = _search.OrderBy(tool => tool.Name, StringComparer.Ordinal).ToList() };

                public ChatOptions Admin() => new() { Tools = _admin.OrderBy(tool => tool.Name, StringComparer.Ordinal).ToList() };
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_OrderToolsByName,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "The tool list (enumerated from a HashSet)", ToolList, FixedOrder),
            Expected(1, "The tool list (enumerated from a ISet)", ToolList, FixedOrder),
        ]);
        await test.RunAsync();
    }

    [Fact]
    public async Task AgentInstructions_DateFirst_MovesSentenceLast_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Planner(IChatClient chatClient)
                    => chatClient.AsAIAgent(instructions: $"Now: {|#0:{DateTime.UtcNow:O}|}. You are a planner. Break every goal into numbered steps.");
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using Microsoft.Agents.AI;
            using Microsoft.Extensions.AI;

            public static class Agents
            {
                public static AIAgent Planner(IChatClient chatClient)
                    => chatClient.AsAIAgent(instructions: $"You are a planner. Break every goal into numbered steps. Now: {DateTime.UtcNow:O}.");
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "DateTime.UtcNow", Chars(58))], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task KernelChatPrompt_MessageElements_OffersNoFix()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Prompts
            {
                public static Task<FunctionResult> Chat(Kernel kernel)
                    => kernel.InvokePromptAsync({|#0:"<message role=\"user\">{{$history}}</message>\n<message role=\"system\">You are a support assistant for Contoso.</message>"|});
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The template block '{{$history}}'", Chars(84))], source, editorConfig: TemplateThreshold);
    }

    [Fact]
    public async Task HistoryInsertAtStart_InsideLoop_OffersNoFix()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ChatSession
            {
                public List<ChatMessage> Start(string[] notes)
                {
                    var history = new List<ChatMessage>
                    {
                        new(ChatRole.System, "You are the eShop concierge. Help customers find products."),
                    };
                    foreach (var note in notes)
                    {
                        {|#0:history.Insert(0, new ChatMessage(ChatRole.System, $"Note: {note}"))|};
                        history.RemoveAt(history.Count - 1);
                    }

                    return history;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(
            source,
            [Expected(0, "A message with variable content inserted at index 0", "the constant system message (58 characters)", "add it after the system message")],
            source);
    }

    [Fact]
    public async Task MessageLists_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            public static class Requests
            {
                public static List<Microsoft.Extensions.AI.ChatMessage> Extensions(string question) =>
                [
                    {|#0:new(ChatRole.User, question)|},
                    new(ChatRole.System, "You are a helpful assistant. Cite your sources and answer in English."),
                ];

                public static OpenAI.Chat.ChatMessage[] OpenAI(string question) => new OpenAI.Chat.ChatMessage[]
                {
                    {|#1:new UserChatMessage(question)|},
                    new SystemChatMessage("You are a helpful assistant. Cite your sources and answer in English."),
                };
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;
            using OpenAI.Chat;

            public static class Requests
            {
                public static List<Microsoft.Extensions.AI.ChatMessage> Extensions(string question) =>
                [
                    new(ChatRole.System, "You are a helpful assistant. Cite your sources and answer in English."),
                    new(ChatRole.User, question),
                ];

                public static OpenAI.Chat.ChatMessage[] OpenAI(string question) => new OpenAI.Chat.ChatMessage[]
                {
                    new SystemChatMessage("You are a helpful assistant. Cite your sources and answer in English."),
                    new UserChatMessage(question),
                };
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_MoveStableMessagesFirst,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "A message with variable content", "69 characters of constant messages", "put the constant messages first"),
            Expected(1, "A message with variable content", "69 characters of constant messages", "put the constant messages first"),
        ]);
        await test.RunAsync();
    }

    [Fact]
    public async Task HistoryInsertsAndStringBuilders_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Text;
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Sessions
            {
                public static ChatHistory Support(string userName)
                {
                    var history = new ChatHistory("You are the eShop concierge. Help customers find products.");
                    {|#0:history.Insert(0, new Microsoft.SemanticKernel.ChatMessageContent(AuthorRole.System, $"Customer name: {userName}"))|};
                    return history;
                }

                public static ChatHistory Sales(string region)
                {
                    var history = new ChatHistory("You are the eShop sales assistant. Suggest bundles and discounts.");
                    {|#1:history.Insert(0, new Microsoft.SemanticKernel.ChatMessageContent(AuthorRole.System, $"Region: {region}"))|};
                    return history;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Text;
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Sessions
            {
                public static ChatHistory Support(string userName)
                {
                    var history = new ChatHistory("You are the eShop concierge. Help customers find products.");
                    history.Insert(1, new Microsoft.SemanticKernel.ChatMessageContent(AuthorRole.System, $"Customer name: {userName}"));
                    return history;
                }

                public static ChatHistory Sales(string region)
                {
                    var history = new ChatHistory("You are the eShop sales assistant. Suggest bundles and discounts.");
                    history.Insert(1, new Microsoft.SemanticKernel.ChatMessageContent(AuthorRole.System, $"Region: {region}"));
                    return history;
                }
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_InsertAfterStablePrefix,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "A message with variable content inserted at index 0", "the constant system message (58 characters)", "add it after the system message"),
            Expected(1, "A message with variable content inserted at index 0", "the constant system message (65 characters)", "add it after the system message"),
        ]);
        await test.RunAsync();
    }

    [Fact]
    public async Task StringBuilders_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Text;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage Shop()
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                    prompt.AppendLine("You are an e-commerce assistant for eShop.");
                    return ChatMessage.CreateSystemMessage({|#0:prompt.ToString()|});
                }

                public static ChatMessage Travel()
                {
                    var prompt = new StringBuilder();
                    prompt.Append("Request ").Append(Guid.NewGuid()).AppendLine();
                    prompt.AppendLine("You are a travel planner. Suggest three options.");
                    return ChatMessage.CreateSystemMessage({|#1:prompt.ToString()|});
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Text;
            using OpenAI.Chat;

            public static class Prompts
            {
                public static ChatMessage Shop()
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine("You are an e-commerce assistant for eShop.");
                    prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                    return ChatMessage.CreateSystemMessage(prompt.ToString());
                }

                public static ChatMessage Travel()
                {
                    var prompt = new StringBuilder();
                    prompt.AppendLine("You are a travel planner. Suggest three options.");
                    prompt.Append("Request ").Append(Guid.NewGuid()).AppendLine();
                    return ChatMessage.CreateSystemMessage(prompt.ToString());
                }
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_MoveVariableAppendsLast,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "DateTime.UtcNow", Chars(44)),
            Expected(1, "Guid.NewGuid()", Chars(50)),
        ]);
        await test.RunAsync();
    }
}
