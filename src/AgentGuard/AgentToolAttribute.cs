using System;

namespace AgentGuard;

/// <summary>
/// Marks a method of a <c>partial</c> agent class as a tool the model may call. The AgentGuard source generator
/// turns every such method into a reflection-free <c>AIFunction</c> with a compile-time JSON schema and routes
/// the model's calls to it from the generated, budgeted <c>RunAsync</c> loop.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AgentToolAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="description">What the tool does, as the model will read it.</param>
    public AgentToolAttribute(string? description = null)
    {
        Description = description;
    }

    /// <summary>What the tool does, as the model reads it.</summary>
    public string? Description { get; }

    /// <summary>
    /// The tool name the model sees. When not set, the method name with a trailing <c>Async</c> removed.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Memoize results: a repeated call with canonically equal arguments returns the stored result without
    /// running the method. For pure read tools only — caching a tool that sends, writes or charges silently
    /// drops the second action (rule AG0004).
    /// </summary>
    public bool Cacheable { get; set; }

    /// <summary>How long a cached result stays valid, in seconds. <c>0</c> keeps it for the whole run.</summary>
    public int CacheTtlSeconds { get; set; }

    /// <summary>
    /// The tool's version in cache keys. When not set, the generated code uses a hash of the method's signature, so
    /// a changed signature never reads results the previous one stored in a shared cache; set it (and change it)
    /// when the tool's behaviour changes without its signature changing.
    /// </summary>
    public string? Version { get; set; }
}
