using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Keeps a conversation that is resent to the model on every step from growing without bound
/// (rule AG0005): the leading system messages stay, and so do the most recent messages.
/// </summary>
public static class ChatHistoryExtensions
{
    /// <summary>
    /// Removes the oldest non-system messages of <paramref name="messages"/> until at most
    /// <paramref name="maxRecentMessages"/> messages follow the leading system messages. A tool result is never
    /// separated from the tool call it answers: if the cut would start at a tool result, that result goes too.
    /// </summary>
    /// <param name="messages">The history, trimmed in place.</param>
    /// <param name="maxRecentMessages">How many messages after the leading system messages to keep.</param>
    /// <returns>How many messages were removed.</returns>
    public static int TrimToRecent(this IList<ChatMessage> messages, int maxRecentMessages)
    {
        if (messages is null)
        {
            throw new ArgumentNullException(nameof(messages));
        }

        if (maxRecentMessages < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRecentMessages), maxRecentMessages, "The number of messages to keep cannot be negative.");
        }

        var leadingSystem = 0;
        while (leadingSystem < messages.Count && messages[leadingSystem].Role == ChatRole.System)
        {
            leadingSystem++;
        }

        var excess = messages.Count - leadingSystem - maxRecentMessages;
        if (excess <= 0)
        {
            return 0;
        }

        // Do not leave a tool result at the head of the kept window: its call would be gone.
        while (leadingSystem + excess < messages.Count && messages[leadingSystem + excess].Role == ChatRole.Tool)
        {
            excess++;
        }

        if (messages is List<ChatMessage> list)
        {
            list.RemoveRange(leadingSystem, excess);
        }
        else
        {
            for (var i = 0; i < excess; i++)
            {
                messages.RemoveAt(leadingSystem);
            }
        }

        return excess;
    }
}
