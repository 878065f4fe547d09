using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// A tool of a generated agent as an <see cref="AIFunction"/>: its name, description and compile-time JSON schema,
/// and the generated, reflection-free invocation. Usable in any <c>ChatOptions.Tools</c>; when a
/// <c>FunctionInvokingChatClient</c> calls it, a failed call returns its error text to the model.
/// </summary>
public sealed class AgentToolFunction : AIFunction
{
    private readonly Func<IDictionary<string, object?>?, ToolResultCache?, CancellationToken, ValueTask<ToolOutcome>> invoke;

    /// <summary>Creates the tool.</summary>
    /// <param name="name">The name the model calls it by.</param>
    /// <param name="description">What it does, for the model.</param>
    /// <param name="jsonSchema">The JSON schema of its arguments.</param>
    /// <param name="invoke">Reads the arguments and runs the tool, through the given cache when it is cacheable.</param>
    public AgentToolFunction(string name, string description, JsonElement jsonSchema, Func<IDictionary<string, object?>?, ToolResultCache?, CancellationToken, ValueTask<ToolOutcome>> invoke)
        : this(name, description, jsonSchema, invoke, version: null)
    {
    }

    /// <summary>Creates the tool with its version for cache keys.</summary>
    /// <param name="name">The name the model calls it by.</param>
    /// <param name="description">What it does, for the model.</param>
    /// <param name="jsonSchema">The JSON schema of its arguments.</param>
    /// <param name="invoke">Reads the arguments and runs the tool, through the given cache when it is cacheable.</param>
    /// <param name="version">
    /// <see cref="AgentToolAttribute.Version"/>, else a hash of the tool's signature; part of its cache keys
    /// (<see cref="ToolResultCache.GetOrRunAsync(string, string?, IEnumerable{KeyValuePair{string, object?}}?, TimeSpan?, Func{CancellationToken, ValueTask{object?}}, CancellationToken)"/>).
    /// </param>
    public AgentToolFunction(string name, string description, JsonElement jsonSchema, Func<IDictionary<string, object?>?, ToolResultCache?, CancellationToken, ValueTask<ToolOutcome>> invoke, string? version)
    {
        Version = version;
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Description = description ?? string.Empty;
        JsonSchema = jsonSchema;
        this.invoke = invoke ?? throw new ArgumentNullException(nameof(invoke));
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string Description { get; }

    /// <inheritdoc/>
    public override JsonElement JsonSchema { get; }

    /// <summary>The tool's version in cache keys; <see langword="null"/> when the generated code supplied none.</summary>
    public string? Version { get; }

    /// <summary>Parses a schema written at compile time.</summary>
    public static JsonElement ParseSchema(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Runs the tool for the generated dispatch loop, through the run's cache.</summary>
    public ValueTask<ToolOutcome> InvokeAsync(IDictionary<string, object?>? arguments, ToolResultCache? cache, CancellationToken cancellationToken)
        => invoke(arguments, cache, cancellationToken);

    /// <inheritdoc/>
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var outcome = await invoke(arguments, null, cancellationToken).ConfigureAwait(false);
        return outcome.IsError ? "Error: " + outcome.Error : outcome.Result;
    }
}
