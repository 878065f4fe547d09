using System.Collections.Generic;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// The chat clients a project registers for dependency injection, by service key, and whether every registration of
/// a key caps the output of every request.
/// </summary>
internal sealed class ChatClientRegistrations
{
    // Per key: true while every registration of it seen so far caps.
    private readonly Dictionary<string, bool> keyed = new(System.StringComparer.Ordinal);
    private bool? unkeyed;

    /// <summary>
    /// Whether the project sets AgentGuard's per-step cap (<c>MaxOutputTokensPerStep</c>) outside a <c>[Budget]</c>
    /// attribute, so a <c>BudgetChatClient</c> it builds applies it to every request.
    /// </summary>
    public bool GuardCaps { get; set; }

    public void Add(string? key, bool caps)
    {
        if (key is null)
        {
            unkeyed = (unkeyed ?? true) && caps;
        }
        else
        {
            keyed[key] = (!keyed.TryGetValue(key, out var all) || all) && caps;
        }
    }

    /// <summary>
    /// Whether a client injected with <paramref name="key"/> (<see langword="null"/>: no key) is provably capped: the
    /// project registers that key and every registration of it caps.
    /// </summary>
    public bool Covers(string? key)
        => key is null ? unkeyed == true : keyed.TryGetValue(key, out var caps) && caps;
}
