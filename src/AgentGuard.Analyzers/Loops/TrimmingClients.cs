using System;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Clients, services and agents that trim what they send, so a growing list does not make growing requests.</summary>
internal static class TrimmingClients
{
    // Words in an agent's or client's construction that mean the history is trimmed or kept elsewhere.
    private static readonly string[] TrimmingWords = { "Reducer", "Compaction", "ChatHistoryProvider", "AIContextProviders", "UseRecentMessages", "Summariz" };

    /// <summary>
    /// Whether the client or service a model call goes through trims the history on the way: a type whose name says it
    /// reduces (<c>ReducingChatClient</c>, a project's <c>ChatCompletionServiceWithReducer</c>), AgentGuard's
    /// <c>RecentMessagesChatClient</c>, or a local or field of this file built with a reducer or
    /// <c>UseRecentMessages</c>.
    /// </summary>
    public static bool TrimsOnTheWay(IOperation? receiver, SemanticModel? model, CancellationToken cancellationToken)
    {
        receiver = receiver?.UnwrapImplicitConversions();
        if (receiver is null)
        {
            return false;
        }

        if (receiver.Type is INamedTypeSymbol type
            && (type.Name.IndexOf("Reduc", StringComparison.Ordinal) >= 0 || type.Name == "RecentMessagesChatClient"))
        {
            return true;
        }

        return receiver.ReferencedStorageSymbol() is { } symbol
            && model is not null
            && SoleInitializer.Of(symbol, model, cancellationToken) is { } initializer
            && Mentions(initializer);
    }

    /// <summary>Whether a construction's text names something that trims a history or keeps it elsewhere.</summary>
    public static bool Mentions(SyntaxNode node)
    {
        var text = node.ToString();
        foreach (var word in TrimmingWords)
        {
            if (text.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
