using System;
using System.Threading;
using System.Threading.Tasks;

namespace AgentGuard;

/// <summary>
/// An external store for tool results (for example a <c>HybridCache</c> or Redis adapter), so the instances of a
/// cluster share cached reads. Values are the tools' results serialized as JSON.
/// </summary>
public interface IToolResultStore
{
    /// <summary>The stored JSON for <paramref name="key"/>, or <see langword="null"/>.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="json"/> under <paramref name="key"/> for <paramref name="timeToLive"/> (for ever when <see langword="null"/>).</summary>
    ValueTask SetAsync(string key, string json, TimeSpan? timeToLive, CancellationToken cancellationToken);
}
