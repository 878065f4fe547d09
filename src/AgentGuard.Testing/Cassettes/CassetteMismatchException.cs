using System;

namespace AgentGuard.Testing;

/// <summary>
/// A replayed run asked the model something other than what the cassette recorded: a step was added or is missing,
/// a message, a tool or an option changed, or the cacheable prefix of a step changed. The message says where and
/// shows the first difference.
/// </summary>
public sealed class CassetteMismatchException : Exception
{
    /// <summary>Creates the exception for the interaction at <paramref name="interactionIndex"/>.</summary>
    public CassetteMismatchException(int interactionIndex, string message)
        : base(message)
    {
        InteractionIndex = interactionIndex;
    }

    /// <summary>The index (from 0) of the interaction that did not match.</summary>
    public int InteractionIndex { get; }
}
