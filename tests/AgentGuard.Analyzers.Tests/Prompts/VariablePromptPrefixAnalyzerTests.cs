using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Prompts.VariablePromptPrefixAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Prompts;

public sealed class VariablePromptPrefixAnalyzerTests
{
    private const string MoveAfter = "move the variable part after the stable text";

    private static DiagnosticResult Expected(int location, string subject, string stable, string advice = MoveAfter)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix)
            .WithLocation(location)
            .WithArguments(subject, stable, advice)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static string Chars(int count) => count + " characters of stable prompt text";

    // ---------------------------------------------------------------- reports

    [Fact]
    public async Task SystemMessage_DateFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class OutdoorsAssistant
            {
                public List<ChatMessage> NewConversation() =>
                [
                    new(ChatRole.System, $"Current date: {|#0:{DateTime.Now:yyyy-MM-dd}|}\nYou are the Contoso Outdoors assistant. Answer questions about hiking gear."),
                ];
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "DateTime.Now", Chars(76)));
    }

    [Fact]
    public async Task SystemMessage_CustomerNameConcatenatedFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public sealed record Customer(string Name, string Tier);

            public static class SupportPrompts
            {
                public static ChatMessage For(Customer customer)
                    => new ChatMessage(ChatRole.System, "Customer: " + {|#0:customer.Name|} + ". You are a support agent for Contoso. Be concise and polite.");
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The variable part 'customer.Name'", Chars(61)));
    }

    [Fact]
    public async Task Instructions_UserIdFirst_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class AgentOptions
            {
                public static ChatOptions For(string userId) => new()
                {
                    MaxOutputTokens = 500,
                    Instructions = $"User {|#0:{userId}|} is signed in. You are a banking assistant; never reveal account numbers.",
                };
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The variable part '{userId}'", Chars(73)));
    }

    [Fact]
    public async Task SystemMessage_StringFormatSessionFirst_Reports()
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

        await Verify.VerifyAsync(source, Expected(0, "The variable part 'sessionId'", Chars(50)));
    }

    [Fact]
    public async Task SystemMessage_StringBuilderTimestampFirst_Reports()
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

        await Verify.VerifyAsync(source, Expected(0, "DateTime.UtcNow", Chars(50)));
    }

    [Fact]
    public async Task SemanticKernelSystemMessage_ThroughLocal_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Conversations
            {
                public static ChatHistory Start()
                {
                    var systemPrompt = $"Request {Guid.NewGuid()}: you are a meticulous code reviewer for a .NET team.";
                    var history = new ChatHistory();
                    history.AddSystemMessage({|#0:systemPrompt|});
                    return history;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "Guid.NewGuid()", Chars(53)));
    }

    [Fact]
    public async Task UserMessage_TimestampBeforeFormatInstructions_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using OpenAI.Chat;

            public static class Questions
            {
                public static ChatMessage Ask(string question)
                    => new UserChatMessage($"[{|#0:{DateTimeOffset.Now}|}] Answer in JSON with the fields 'answer' and 'confidence'. Question: {question}");
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "DateTimeOffset.Now", Chars(70)));
    }

    [Fact]
    public async Task MessageList_UserQuestionBeforeConstantRules_Reports()
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
                ];
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "A message with variable content", "69 characters of constant messages", "put the constant messages first"));
    }

    [Fact]
    public async Task MessageList_VariableSystemPromptBeforeConstantRules_ReportsOnce()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public static class Requests
            {
                public static List<ChatMessage> Build(string persona) =>
                [
                    new(ChatRole.System, $"You are {|#0:{persona}|}, a concierge for the Contoso hotel chain."),
                    new(ChatRole.System, "Never quote prices; link to the booking page instead. Answer in English."),
                ];
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The variable part '{persona}'", Chars(42)));
    }

    [Fact]
    public async Task HistoryInsertAtStart_VariableMessage_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
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
                    {|#0:history.Insert(0, new ChatMessage(ChatRole.System, $"Customer name: {userName}"))|};
                    return history;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "A message with variable content inserted at index 0", "the constant system message (58 characters)", "add it after the system message"));
    }

    [Fact]
    public async Task Tools_FromHashSet_Reports()
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

        await Verify.VerifyAsync(source, Expected(0, "The tool list (enumerated from a HashSet)", "the system prompt and the conversation", "build the tool list in a fixed order"));
    }

    [Fact]
    public async Task Tools_ShuffledByGuid_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static void Apply(ChatOptions options, IEnumerable<AITool> tools)
                {
                    var ordered = tools.OrderBy(_ => Guid.NewGuid()).ToList();
                    options.Tools = {|#0:ordered|};
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "The tool list (ordered by Guid.NewGuid())", "the system prompt and the conversation", "build the tool list in a fixed order"));
    }

    [Fact]
    public async Task EditorConfigMinStableLength_Lowered_Reports()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage For(string team)
                    => new(ChatRole.System, $"Team {|#0:{team}|}. Answer briefly.");
            }
            """;

        await Verify.VerifyAsync(source, editorConfig: null);
        await Verify.VerifyAsync(source, "AG0003.min_stable_length = 10", Expected(0, "The variable part '{team}'", Chars(17)));
    }

    // ---------------------------------------------------------------- does not report

    [Fact]
    public async Task ConstantInterpolatedString_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                private const string Company = "Contoso";
                private const int MaxItems = 5;

                public static ChatMessage System() => new(ChatRole.System, $"You are the {Company} shopping assistant. Recommend at most five products.");
                public static ChatMessage Limits() => new(ChatRole.System, $"{Company}: recommend at most {MaxItems} products and never invent prices.");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task VariableTextAfterStableText_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatOptions For(string userName) => new()
                {
                    Instructions = "You are the Contoso HR assistant. Answer from the employee handbook only.\n"
                        + $"Today is {DateTime.Now:D}. The employee is {userName}.",
                };
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task UserMessageWithQuestion_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;
            using Microsoft.SemanticKernel.ChatCompletion;

            public static class Questions
            {
                public static ChatMessage Ask(string product, string question)
                    => new(ChatRole.User, $"About {product}: {question} Please answer in two sentences and mention the warranty.");

                public static void Add(ChatHistory history, string question) => history.AddUserMessage(question + " Please be brief and cite the handbook section.");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ShortStableTail_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage For(string persona) => new(ChatRole.System, $"You are {persona}. Be brief.");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task StaticReadonlyPromptFirst_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                private static readonly string Base = "You are a careful financial assistant. Never give tax advice.";

                public static ChatMessage For(string region) => new(ChatRole.System, Base + "\nRegion: " + region);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReadonlyFieldWithConstantInitializer_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public sealed class Concierge
            {
                private readonly string _agentName = "Aria";

                public ChatMessage SystemPrompt() => new(ChatRole.System, $"You are {_agentName}, the concierge of the Contoso hotel chain.");
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task MessageList_ConstantSystemFirst_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public static class Requests
            {
                public static List<ChatMessage> Build(string question) =>
                [
                    new(ChatRole.System, "You are a helpful assistant. Cite your sources and answer in English."),
                    new(ChatRole.User, question),
                ];
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task HistoryInsertAfterSystemMessage_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class ChatSession
            {
                public List<ChatMessage> Start(string userName, List<ChatMessage> restored)
                {
                    var history = new List<ChatMessage>
                    {
                        new(ChatRole.System, "You are the eShop concierge. Help customers find products."),
                    };
                    history.Insert(1, new ChatMessage(ChatRole.System, $"Customer name: {userName}"));
                    restored.Insert(0, new ChatMessage(ChatRole.User, userName));
                    return history;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task Tools_FixedListOrSortedByName_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Linq;
            using Microsoft.Extensions.AI;

            public static class ToolSetup
            {
                public static ChatOptions Create(IEnumerable<AIFunction> discovered) => new()
                {
                    MaxOutputTokens = 600,
                    Tools = [AIFunctionFactory.Create(() => "sunny", "get_weather"), AIFunctionFactory.Create(() => 42, "get_answer")],
                };

                public static void Apply(ChatOptions options, IEnumerable<AIFunction> discovered)
                    => options.Tools = discovered.OrderBy(f => f.Name).ToList<AITool>();
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task EditorConfigMinStableLength_Raised_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage For(DateTime now) => new(ChatRole.System, $"It is {DateTime.Now}. You are a scheduling assistant for a dental clinic.");
            }
            """;

        await Verify.VerifyAsync(source, "AG0003.min_stable_length = 200");
    }

    [Fact]
    public async Task SystemMessage_ConfigurationReadThroughMembers_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public sealed class AgentSettings
            {
                public string SystemPrompt { get; set; } = "";
                public string AgentName { get; set; } = "";
            }

            public sealed class SupportAgent(AgentSettings settings)
            {
                private static readonly string Product = Environment.GetEnvironmentVariable("PRODUCT") ?? "Contoso";
                private readonly AgentSettings options = settings;

                public ChatMessage System() => new(ChatRole.System, options.SystemPrompt + " Answer briefly and cite the order number in every reply you give.");

                public ChatMessage Named() => new(ChatRole.System, $"{options.AgentName}: you are the support desk of {Product}. Answer briefly and cite the order number.");

                public ChatOptions Options() => new() { Instructions = Product + " support. Answer briefly and cite the order number in every reply you give." };
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
