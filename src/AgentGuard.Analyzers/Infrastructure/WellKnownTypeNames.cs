namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// The metadata names of every type AgentGuard's analyzers look up: the one table, resolved through
/// <see cref="WellKnownTypes"/>. A new model SDK type is a new row here, not a lookup inside an analyzer.
/// </summary>
internal static class WellKnownTypeNames
{
    // Microsoft.Extensions.AI
    public const string ChatClient = "Microsoft.Extensions.AI.IChatClient";
    public const string ChatClientExtensions = "Microsoft.Extensions.AI.ChatClientExtensions, Microsoft.Extensions.AI.Abstractions";
    public const string ChatClientStructuredOutputExtensions = "Microsoft.Extensions.AI.ChatClientStructuredOutputExtensions";
    public const string ChatOptions = "Microsoft.Extensions.AI.ChatOptions";
    public const string ChatMessage = "Microsoft.Extensions.AI.ChatMessage";
    public const string ChatRole = "Microsoft.Extensions.AI.ChatRole";
    public const string ChatResponse = "Microsoft.Extensions.AI.ChatResponse";
    public const string ChatClientBuilder = "Microsoft.Extensions.AI.ChatClientBuilder";
    public const string FunctionInvokingChatClient = "Microsoft.Extensions.AI.FunctionInvokingChatClient";
    public const string FunctionInvokingChatClientBuilderExtensions = "Microsoft.Extensions.AI.FunctionInvokingChatClientBuilderExtensions";
    public const string ChatReducer = "Microsoft.Extensions.AI.IChatReducer";

    // Semantic Kernel
    public const string ChatCompletionService = "Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService";
    public const string ChatCompletionServiceExtensions = "Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions";
    public const string Kernel = "Microsoft.SemanticKernel.Kernel";
    public const string KernelExtensions = "Microsoft.SemanticKernel.KernelExtensions";
    public const string ChatHistory = "Microsoft.SemanticKernel.ChatCompletion.ChatHistory";
    public const string ChatHistoryReducer = "Microsoft.SemanticKernel.ChatCompletion.IChatHistoryReducer";
    public const string ChatMessageContent = "Microsoft.SemanticKernel.ChatMessageContent";
    public const string PromptExecutionSettings = "Microsoft.SemanticKernel.PromptExecutionSettings";
    public const string KernelFunction = "Microsoft.SemanticKernel.KernelFunction";
    public const string KernelArguments = "Microsoft.SemanticKernel.KernelArguments";
    public const string ChatCompletionAgent = "Microsoft.SemanticKernel.Agents.ChatCompletionAgent";
    public const string SemanticKernelAgent = "Microsoft.SemanticKernel.Agents.Agent";
    public const string OpenAIPromptExecutionSettings = "Microsoft.SemanticKernel.Connectors.OpenAI.OpenAIPromptExecutionSettings";

    // OpenAI .NET SDK
    public const string OpenAIChatClient = "OpenAI.Chat.ChatClient";
    public const string OpenAIChatCompletionOptions = "OpenAI.Chat.ChatCompletionOptions";
    public const string OpenAIChatMessage = "OpenAI.Chat.ChatMessage";
    public const string OpenAISystemChatMessage = "OpenAI.Chat.SystemChatMessage";
    public const string OpenAIDeveloperChatMessage = "OpenAI.Chat.DeveloperChatMessage";
    public const string OpenAIUserChatMessage = "OpenAI.Chat.UserChatMessage";
    public const string OpenAIAssistantChatMessage = "OpenAI.Chat.AssistantChatMessage";
    public const string OpenAIResponsesClient = "OpenAI.Responses.ResponsesClient";
    public const string OpenAIResponseClientPreview = "OpenAI.Responses.OpenAIResponseClient";
    public const string OpenAICreateResponseOptions = "OpenAI.Responses.CreateResponseOptions";
    public const string OpenAIResponseItem = "OpenAI.Responses.ResponseItem";

    // Anthropic SDK
    public const string AnthropicMessageService = "Anthropic.Services.IMessageService";
    public const string AnthropicBetaMessageService = "Anthropic.Services.Beta.IMessageService";
    public const string AnthropicToolRunnerExtensions = "Anthropic.Helpers.Beta.BetaToolRunnerExtensions";

    // Microsoft Agent Framework
    public const string AIAgent = "Microsoft.Agents.AI.AIAgent";
    public const string ChatClientAgent = "Microsoft.Agents.AI.ChatClientAgent";
    public const string ChatClientAgentOptions = "Microsoft.Agents.AI.ChatClientAgentOptions";
    public const string AgentSession = "Microsoft.Agents.AI.AgentSession";
    public const string AgentChatClientExtensions = "Microsoft.Extensions.AI.ChatClientExtensions, Microsoft.Agents.AI";
    public const string AgentCompactionStrategy = "Microsoft.Agents.AI.Compaction.CompactionStrategy";
    public const string InMemoryChatHistoryProviderOptions = "Microsoft.Agents.AI.InMemoryChatHistoryProviderOptions";
    public const string AgentGroupChatManager = "Microsoft.Agents.AI.Workflows.GroupChatManager";

    // Polly
    public const string PollyRetryStrategyOptions = "Polly.Retry.RetryStrategyOptions`1";

    // AgentGuard itself
    public const string AgentToolAttribute = "AgentGuard.AgentToolAttribute";
    public const string BudgetAttribute = "AgentGuard.BudgetAttribute";
    public const string BudgetChatClient = "AgentGuard.BudgetChatClient";
    public const string AgentGuardChatClientBuilderExtensions = "AgentGuard.AgentGuardChatClientBuilderExtensions";

    // What paces a loop: a person at the console, a queue, a channel, a socket, a timer.
    public const string Console = "System.Console";
    public const string TextReader = "System.IO.TextReader";
    public const string ChannelReader = "System.Threading.Channels.ChannelReader`1";
    public const string BlockingCollection = "System.Collections.Concurrent.BlockingCollection`1";
    public const string ConcurrentQueue = "System.Collections.Concurrent.ConcurrentQueue`1";
    public const string ProducerConsumerCollection = "System.Collections.Concurrent.IProducerConsumerCollection`1";
    public const string PeriodicTimer = "System.Threading.PeriodicTimer";
    public const string WebSocket = "System.Net.WebSockets.WebSocket";
    public const string HttpListener = "System.Net.HttpListener";
    public const string TcpListener = "System.Net.Sockets.TcpListener";
    public const string SpectreAnsiConsole = "Spectre.Console.AnsiConsole";

    // What measures time.
    public const string Stopwatch = "System.Diagnostics.Stopwatch";
    public const string DateTime = "System.DateTime";
    public const string DateTimeOffset = "System.DateTimeOffset";
    public const string TimeProvider = "System.TimeProvider";

    // Cancellation and tasks.
    public const string CancellationToken = "System.Threading.CancellationToken";
    public const string CancellationTokenSource = "System.Threading.CancellationTokenSource";
    public const string Task = "System.Threading.Tasks.Task";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";

    // AG0003
    public const string OpenAIResponseOptions = "OpenAI.Responses.CreateResponseOptions";
    public const string AgentFrameworkChatClientAgent = "Microsoft.Agents.AI.ChatClientAgent";
    public const string AgentFrameworkChatClientExtensions = "Microsoft.Extensions.AI.ChatClientExtensions, Microsoft.Agents.AI";
    public const string AnthropicMessageCreateParams = "Anthropic.Models.Messages.MessageCreateParams";
    public const string AnthropicTextBlockParam = "Anthropic.Models.Messages.TextBlockParam";
    public const string SemanticKernelFunctionFactory = "Microsoft.SemanticKernel.KernelFunctionFactory";
}
