using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Sends at most a fixed number of recent messages (after the leading system messages) with every request, so a
/// conversation kept elsewhere — an agent's session, a chat history the caller owns — costs the same on step 100 as on
/// step 10 (rule AG0005). The caller's messages are never modified: a trimmed copy is sent.
/// </summary>
/// <remarks>
/// The kept window starts at a user message where one is in it, so a provider that requires the conversation to open
/// with the user (Anthropic) accepts it, and a tool result is never sent without the call it answers.
/// </remarks>
public sealed class RecentMessagesChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that receives the trimmed requests.</param>
    /// <param name="maxRecentMessages">How many messages after the leading system messages to send, at least 1.</param>
    public RecentMessagesChatClient(IChatClient innerClient, int maxRecentMessages)
        : base(innerClient)
    {
        if (maxRecentMessages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRecentMessages), maxRecentMessages, "At least one recent message must be sent.");
        }

        MaxRecentMessages = maxRecentMessages;
    }

    /// <summary>How many messages after the leading system messages each request carries at most.</summary>
    public int MaxRecentMessages { get; }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetResponseAsync(Recent(messages, MaxRecentMessages), options, cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetStreamingResponseAsync(Recent(messages, MaxRecentMessages), options, cancellationToken);

    /// <summary>
    /// The leading system messages of <paramref name="messages"/> and at most <paramref name="maxRecentMessages"/> of
    /// the most recent others, starting at a user message where the window holds one; <paramref name="messages"/>
    /// itself when it is short enough.
    /// </summary>
    internal static IEnumerable<ChatMessage> Recent(IEnumerable<ChatMessage> messages, int maxRecentMessages)
    {
        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? new List<ChatMessage>(messages);
        var leadingSystem = 0;
        while (leadingSystem < list.Count && list[leadingSystem].Role == ChatRole.System)
        {
            leadingSystem++;
        }

        if (list.Count - leadingSystem <= maxRecentMessages)
        {
            return list;
        }

        // The window opens at the first user message in it; without one, at the first message that is not a tool
        // result (its call would be cut off).
        var start = list.Count - maxRecentMessages;
        var open = -1;
        for (var i = start; i < list.Count; i++)
        {
            if (list[i].Role == ChatRole.User)
            {
                open = i;
                break;
            }
        }

        if (open < 0)
        {
            open = start;
            while (open < list.Count - 1 && list[open].Role == ChatRole.Tool)
            {
                open++;
            }
        }

        var trimmed = new List<ChatMessage>(leadingSystem + list.Count - open);
        for (var i = 0; i < leadingSystem; i++)
        {
            trimmed.Add(list[i]);
        }

        for (var i = open; i < list.Count; i++)
        {
            trimmed.Add(list[i]);
        }

        return trimmed;
    }
}

/// <summary>Adds <see cref="RecentMessagesChatClient"/> to a Microsoft.Extensions.AI pipeline.</summary>
public static class RecentMessagesChatClientBuilderExtensions
{
    /// <summary>
    /// Sends at most <paramref name="maxRecentMessages"/> messages after the leading system messages with every
    /// request: the fix for a history that grows without bound where the caller does not own the list (an Agent
    /// Framework session).
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="maxRecentMessages">How many recent messages each request carries at most, at least 1.</param>
    public static ChatClientBuilder UseRecentMessages(this ChatClientBuilder builder, int maxRecentMessages)
    {
        if (builder is null)
        {
            throw new ArgumentNullException(nameof(builder));
        }

        if (maxRecentMessages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRecentMessages), maxRecentMessages, "At least one recent message must be sent.");
        }

        return builder.Use(inner => new RecentMessagesChatClient(inner, maxRecentMessages));
    }
}
