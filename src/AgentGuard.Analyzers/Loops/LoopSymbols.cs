using System;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// The non-model types the loop rules need, a view over the compilation's <see cref="WellKnownTypes"/>: what paces a loop
/// (a person at the console, a queue, a channel, a socket, a timer), what measures time, and cancellation.
/// </summary>
internal sealed class LoopSymbols
{
    public LoopSymbols(Compilation compilation)
    {
        var types = WellKnownTypes.For(compilation);
        Console = types.Get(WellKnownTypeNames.Console);
        TextReader = types.Get(WellKnownTypeNames.TextReader);
        ChannelReader = types.Get(WellKnownTypeNames.ChannelReader);
        BlockingCollection = types.Get(WellKnownTypeNames.BlockingCollection);
        ConcurrentQueue = types.Get(WellKnownTypeNames.ConcurrentQueue);
        ProducerConsumerCollection = types.Get(WellKnownTypeNames.ProducerConsumerCollection);
        PeriodicTimer = types.Get(WellKnownTypeNames.PeriodicTimer);
        WebSocket = types.Get(WellKnownTypeNames.WebSocket);
        HttpListener = types.Get(WellKnownTypeNames.HttpListener);
        TcpListener = types.Get(WellKnownTypeNames.TcpListener);
        SpectreAnsiConsole = types.Get(WellKnownTypeNames.SpectreAnsiConsole);

        Stopwatch = types.Get(WellKnownTypeNames.Stopwatch);
        DateTime = types.Get(WellKnownTypeNames.DateTime);
        DateTimeOffset = types.Get(WellKnownTypeNames.DateTimeOffset);
        TimeProvider = types.Get(WellKnownTypeNames.TimeProvider);

        CancellationToken = types.Get(WellKnownTypeNames.CancellationToken);
        CancellationTokenSource = types.Get(WellKnownTypeNames.CancellationTokenSource);

        FunctionInvokingChatClient = types.Get(WellKnownTypeNames.FunctionInvokingChatClient);
        AnthropicToolRunnerExtensions = types.Get(WellKnownTypeNames.AnthropicToolRunnerExtensions);
        PollyRetryStrategyOptions = types.Get(WellKnownTypeNames.PollyRetryStrategyOptions);

        MicrosoftExtensionsAIChatMessage = types.Get(WellKnownTypeNames.ChatMessage);
        SemanticKernelChatHistory = types.Get(WellKnownTypeNames.ChatHistory);
        SemanticKernelChatHistoryReducer = types.Get(WellKnownTypeNames.ChatHistoryReducer);
        ChatReducer = types.Get(WellKnownTypeNames.ChatReducer);
        SemanticKernelChatMessageContent = types.Get(WellKnownTypeNames.ChatMessageContent);
        OpenAIChatMessage = types.Get(WellKnownTypeNames.OpenAIChatMessage);
    }

    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? TextReader { get; }
    public INamedTypeSymbol? ChannelReader { get; }
    public INamedTypeSymbol? BlockingCollection { get; }
    public INamedTypeSymbol? ConcurrentQueue { get; }
    public INamedTypeSymbol? ProducerConsumerCollection { get; }
    public INamedTypeSymbol? PeriodicTimer { get; }
    public INamedTypeSymbol? WebSocket { get; }
    public INamedTypeSymbol? HttpListener { get; }
    public INamedTypeSymbol? TcpListener { get; }
    public INamedTypeSymbol? SpectreAnsiConsole { get; }

    public INamedTypeSymbol? Stopwatch { get; }
    public INamedTypeSymbol? DateTime { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? TimeProvider { get; }

    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? FunctionInvokingChatClient { get; }
    public INamedTypeSymbol? AnthropicToolRunnerExtensions { get; }
    public INamedTypeSymbol? PollyRetryStrategyOptions { get; }

    public INamedTypeSymbol? MicrosoftExtensionsAIChatMessage { get; }
    public INamedTypeSymbol? SemanticKernelChatHistory { get; }
    public INamedTypeSymbol? SemanticKernelChatHistoryReducer { get; }
    public INamedTypeSymbol? ChatReducer { get; }
    public INamedTypeSymbol? SemanticKernelChatMessageContent { get; }
    public INamedTypeSymbol? OpenAIChatMessage { get; }

    /// <summary>
    /// Whether a call waits on the outside world — a person, a queue, a channel, a socket or a timer — so that
    /// the outside world, not the model, paces a loop that makes it.
    /// </summary>
    public bool IsPacingCall(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition;
        return type is not null && (IsKnownPacingCall(method, type) || IsMessagingReceive(method, type));
    }

    private bool IsKnownPacingCall(IMethodSymbol method, INamedTypeSymbol type)
    {
        switch (method.Name)
        {
            case "ReadLine":
            case "ReadKey":
            case "Read":
                return Is(type, Console) || DerivesFrom(type, TextReader);
            case "ReadLineAsync":
            case "ReadAsync":
            case "ReadToEndAsync":
            case "ReadAllAsync":
            case "WaitToReadAsync":
            case "TryRead":
                return DerivesFrom(type, ChannelReader) || DerivesFrom(type, TextReader);
            case "Take":
            case "TryTake":
            case "GetConsumingEnumerable":
                return Is(type, BlockingCollection) || Implements(type, ProducerConsumerCollection);
            case "TryDequeue":
                return Is(type, ConcurrentQueue);
            case "WaitForNextTickAsync":
                return Is(type, PeriodicTimer);
            case "ReceiveAsync":
                return DerivesFrom(type, WebSocket);
            case "GetContext":
            case "GetContextAsync":
                return Is(type, HttpListener);
            case "AcceptSocket":
            case "AcceptSocketAsync":
            case "AcceptTcpClient":
            case "AcceptTcpClientAsync":
                return Is(type, TcpListener);
            case "Ask":
            case "Prompt":
            case "Confirm":
                return Is(type, SpectreAnsiConsole);
            default:
                return false;
        }
    }

    /// <summary>
    /// A receive from a message broker or socket of a library AgentGuard does not know by name (Azure Service Bus
    /// and Storage queues, Amazon SQS, Kafka, sockets): <c>Receive…</c>, <c>Consume…</c>, <c>Dequeue…</c>,
    /// <c>Accept…</c> on a type from a referenced assembly. In-memory collections of
    /// <c>System.Collections.Generic</c> are not the outside world: an agent can fill them itself.
    /// </summary>
    private static bool IsMessagingReceive(IMethodSymbol method, INamedTypeSymbol type)
    {
        var name = method.Name;
        if (!(name.StartsWith("Receive", StringComparison.Ordinal)
                || name.StartsWith("Consume", StringComparison.Ordinal)
                || name.StartsWith("Dequeue", StringComparison.Ordinal)
                || name.StartsWith("TryDequeue", StringComparison.Ordinal)
                || name.StartsWith("Accept", StringComparison.Ordinal))
            || type.DeclaringSyntaxReferences.Length > 0)
        {
            return false;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        return ns is not ("System.Collections.Generic" or "System.Collections" or "System.Linq");
    }

    /// <summary>Whether a member reads the clock: a stopwatch's elapsed time, the current time, a time provider.</summary>
    public bool IsClockMember(ISymbol member)
    {
        var type = member.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        switch (member.Name)
        {
            case "Elapsed":
            case "ElapsedMilliseconds":
            case "ElapsedTicks":
                return Is(type, Stopwatch);
            case "GetElapsedTime":
                return Is(type, Stopwatch) || DerivesFrom(type, TimeProvider);
            case "Now":
            case "UtcNow":
                return Is(type, DateTime) || Is(type, DateTimeOffset);
            case "GetUtcNow":
            case "GetLocalNow":
                return DerivesFrom(type, TimeProvider);
            default:
                return false;
        }
    }

    public bool IsCancellationType(ITypeSymbol? type)
        => type is not null
            && (Is(type.OriginalDefinition, CancellationToken) || DerivesFrom(type.OriginalDefinition, CancellationTokenSource));

    internal static bool Is(ITypeSymbol? type, INamedTypeSymbol? target)
        => type is not null && target is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    internal static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (target is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Implements(ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (type is null || target is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target))
        {
            return true;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a symbol belongs to AgentGuard's runtime (namespace <c>AgentGuard</c> or below).</summary>
    /// <remarks>Only types from a referenced assembly count, so a user's own types in an <c>AgentGuard.*</c> namespace do not.</remarks>
    internal static bool IsAgentGuardRuntimeMember(ISymbol? member)
    {
        var type = member?.ContainingType;
        var ns = type?.ContainingNamespace;
        if (type is null || ns is null || type.DeclaringSyntaxReferences.Length > 0)
        {
            return false;
        }

        // Walk up to the namespace just below the global one.
        while (ns.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            ns = parent;
        }

        return !ns.IsGlobalNamespace && ns.Name == "AgentGuard";
    }
}
