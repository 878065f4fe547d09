using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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

        CancellationTokenSourceToken = SingleMember<IPropertySymbol>(CancellationTokenSource, "Token");
        CancellationTokenSourceCancelAfter = Members<IMethodSymbol>(CancellationTokenSource, "CancelAfter");
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
    public IPropertySymbol? CancellationTokenSourceToken { get; }
    public ImmutableArray<IMethodSymbol> CancellationTokenSourceCancelAfter { get; }

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

    /// <summary>
    /// Whether a method of this name could be a pacing call on some receiver: the names <see cref="IsPacingCall"/>
    /// accepts, before it looks at the receiver. <see cref="CallNameIndex"/> filters on it.
    /// </summary>
    public static bool IsPacingCallName(string name)
        => KnownPacingCallNames.Contains(name) || IsMessagingReceiveName(name);

    private static bool IsMessagingReceiveName(string name)
        => name.StartsWith("Receive", StringComparison.Ordinal)
            || name.StartsWith("Consume", StringComparison.Ordinal)
            || name.StartsWith("Dequeue", StringComparison.Ordinal)
            || name.StartsWith("TryDequeue", StringComparison.Ordinal)
            || name.StartsWith("Accept", StringComparison.Ordinal);

    // Every name IsKnownPacingCall's switch accepts: it looks no further for any other, so a case added to the switch
    // alone never matches, and its test fails.
    private static readonly HashSet<string> KnownPacingCallNames = new(StringComparer.Ordinal)
    {
        "ReadLine", "ReadKey", "Read", "ReadLineAsync", "ReadAsync", "ReadToEndAsync", "ReadAllAsync", "WaitToReadAsync",
        "TryRead", "Take", "TryTake", "GetConsumingEnumerable", "TryDequeue", "WaitForNextTickAsync", "ReceiveAsync",
        "GetContext", "GetContextAsync", "AcceptSocket", "AcceptSocketAsync", "AcceptTcpClient", "AcceptTcpClientAsync",
        "Ask", "Prompt", "Confirm",
    };

    private bool IsKnownPacingCall(IMethodSymbol method, INamedTypeSymbol type)
    {
        if (!KnownPacingCallNames.Contains(method.Name))
        {
            return false;
        }

        switch (method.Name)
        {
            case "ReadLine":
            case "ReadKey":
            case "Read":
                return type.IsType(Console) || type.IsOrInheritsFrom(TextReader);
            case "ReadLineAsync":
            case "ReadAsync":
            case "ReadToEndAsync":
            case "ReadAllAsync":
            case "WaitToReadAsync":
            case "TryRead":
                return type.IsOrInheritsFrom(ChannelReader) || type.IsOrInheritsFrom(TextReader);
            case "Take":
            case "TryTake":
            case "GetConsumingEnumerable":
                return type.IsType(BlockingCollection) || type.IsOrImplements(ProducerConsumerCollection);
            case "TryDequeue":
                return type.IsType(ConcurrentQueue);
            case "WaitForNextTickAsync":
                return type.IsType(PeriodicTimer);
            case "ReceiveAsync":
                return type.IsOrInheritsFrom(WebSocket);
            case "GetContext":
            case "GetContextAsync":
                return type.IsType(HttpListener);
            case "AcceptSocket":
            case "AcceptSocketAsync":
            case "AcceptTcpClient":
            case "AcceptTcpClientAsync":
                return type.IsType(TcpListener);
            case "Ask":
            case "Prompt":
            case "Confirm":
                return type.IsType(SpectreAnsiConsole);
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
        if (!IsMessagingReceiveName(method.Name) || type.DeclaringSyntaxReferences.Length > 0)
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
                return type.IsType(Stopwatch);
            case "GetElapsedTime":
                return type.IsType(Stopwatch) || type.IsOrInheritsFrom(TimeProvider);
            case "Now":
            case "UtcNow":
                return type.IsType(DateTime) || type.IsType(DateTimeOffset);
            case "GetUtcNow":
            case "GetLocalNow":
                return type.IsOrInheritsFrom(TimeProvider);
            default:
                return false;
        }
    }

    public bool IsCancellationType(ITypeSymbol? type)
        => type is not null
            && (type.IsType(CancellationToken) || type.IsOrInheritsFrom(CancellationTokenSource));

    /// <summary>A constructor of a cancellation token source that takes arguments: a timeout.</summary>
    public bool IsTimedSourceConstructor(IMethodSymbol? constructor)
        => constructor is { Parameters.Length: > 0 } && constructor.ContainingType.IsOrInheritsFrom(CancellationTokenSource);

    /// <summary><c>CancellationTokenSource.Token</c>.</summary>
    public bool IsSourceToken(IPropertySymbol property)
        => SymbolEqualityComparer.Default.Equals(property.OriginalDefinition, CancellationTokenSourceToken);

    /// <summary>An overload of <c>CancellationTokenSource.CancelAfter</c>.</summary>
    public bool IsCancelAfter(IMethodSymbol method)
    {
        foreach (var candidate in CancellationTokenSourceCancelAfter)
        {
            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static T? SingleMember<T>(INamedTypeSymbol? type, string name)
        where T : class, ISymbol
    {
        var members = Members<T>(type, name);
        return members.Length == 1 ? members[0] : null;
    }

    private static ImmutableArray<T> Members<T>(INamedTypeSymbol? type, string name)
        where T : ISymbol
    {
        if (type is null)
        {
            return ImmutableArray<T>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<T>();
        foreach (var member in type.GetMembers(name))
        {
            if (member is T typed)
            {
                result.Add(typed);
            }
        }

        return result.ToImmutable();
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
