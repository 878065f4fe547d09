using System.Collections.Concurrent;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// Turns the tool name of a call into a metric tag value of bounded cardinality. The model chooses the names it
/// calls, so a name is never recorded verbatim on trust: a call the agent answered as an unknown tool is tagged
/// <see cref="Unknown"/>, and past <see cref="Capacity"/> distinct names every new one is tagged <see cref="Other"/>.
/// </summary>
/// <remarks>Thread-safe; looking up a name already seen allocates nothing.</remarks>
internal sealed class ToolNameTags
{
    /// <summary>The tag value of a call of a tool the agent does not declare.</summary>
    public const string Unknown = "unknown";

    /// <summary>The tag value of a name first seen after <see cref="Capacity"/> distinct names.</summary>
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> seen = new(System.StringComparer.Ordinal);
    private int count;

    public ToolNameTags(int capacity)
    {
        Capacity = capacity;
    }

    /// <summary>The process-wide instance the metrics use: at most 1024 distinct tool names.</summary>
    public static ToolNameTags Default { get; } = new(1024);

    /// <summary>The most distinct names tagged verbatim.</summary>
    public int Capacity { get; }

    /// <summary>The tag value for <paramref name="call"/>.</summary>
    public string For(in ToolCallRecord call)
    {
        if (call.Name is null || ToolOutcome.IsUnknownToolError(call.Name, call.Error))
        {
            return Unknown;
        }

        if (seen.TryGetValue(call.Name, out var tag))
        {
            return tag;
        }

        if (Interlocked.Increment(ref count) > Capacity)
        {
            Interlocked.Decrement(ref count);
            return Other;
        }

        if (!seen.TryAdd(call.Name, call.Name))
        {
            // Another thread added it first.
            Interlocked.Decrement(ref count);
        }

        return call.Name;
    }
}
