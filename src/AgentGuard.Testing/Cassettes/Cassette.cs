using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentGuard.Testing;

/// <summary>
/// A recording of a run's model calls, in order: what was asked (messages, model, output cap, tools, instructions)
/// and what came back (messages, finish reason, usage). <see cref="RecordingChatClient"/> writes one,
/// <see cref="ReplayChatClient"/> serves one back offline.
/// </summary>
/// <remarks>
/// Saved as indented JSON with a fixed property order, so a cassette committed to source control changes only where
/// the run changed. Secrets are redacted on save (see <see cref="Secrets"/>). Adding interactions is thread-safe.
/// </remarks>
public sealed class Cassette
{
    /// <summary>The text that replaces a redacted secret.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>The format version of the cassette file.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The recorded model calls, in the order they were made.</summary>
    public List<CassetteInteraction> Interactions { get; set; } = new();

    /// <summary>
    /// Values never written to the file: every occurrence of one of them in any text is replaced by
    /// <see cref="Redacted"/> on save, besides anything shaped like an API key (<c>sk-…</c>, <c>Bearer …</c>).
    /// Not saved.
    /// </summary>
    [JsonIgnore]
    public ICollection<string> Secrets { get; } = new List<string>();

    /// <summary>The number of recorded model calls.</summary>
    [JsonIgnore]
    public int Count
    {
        get
        {
            lock (Interactions)
            {
                return Interactions.Count;
            }
        }
    }

    /// <summary>Loads a cassette saved with <see cref="Save"/>.</summary>
    public static Cassette Load(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        return FromJson(File.ReadAllText(path, Encoding.UTF8));
    }

    /// <summary>Reads a cassette from its JSON.</summary>
    public static Cassette FromJson(string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        return JsonSerializer.Deserialize(json, TestingJsonContext.Default.Cassette)
            ?? throw new InvalidDataException("The cassette file is empty.");
    }

    /// <summary>Appends one interaction; thread-safe.</summary>
    public void Add(CassetteInteraction interaction)
    {
        if (interaction is null)
        {
            throw new ArgumentNullException(nameof(interaction));
        }

        lock (Interactions)
        {
            Interactions.Add(interaction);
        }
    }

    /// <summary>The interaction at <paramref name="index"/>, or <see langword="null"/> past the end.</summary>
    public CassetteInteraction? Get(int index)
    {
        lock (Interactions)
        {
            return index >= 0 && index < Interactions.Count ? Interactions[index] : null;
        }
    }

    /// <summary>The cassette as indented JSON with <c>\n</c> line ends on every platform, secrets redacted.</summary>
    public string ToJson()
    {
        string json;
        lock (Interactions)
        {
            json = JsonSerializer.Serialize(this, TestingJsonContext.Default.Cassette);
        }

        return new SecretRedactor(Secrets).RedactJson(json).Replace("\r\n", "\n") + "\n";
    }

    /// <summary>Writes the cassette to <paramref name="path"/> as indented JSON, secrets redacted; creates the folder.</summary>
    public void Save(string path)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, ToJson(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}

/// <summary>One model call: the request and its response.</summary>
public sealed class CassetteInteraction
{
    /// <summary>What was asked.</summary>
    public CassetteRequest Request { get; set; } = new();

    /// <summary>What came back.</summary>
    public CassetteResponse Response { get; set; } = new();
}

/// <summary>The parts of a request that decide what the model sees and what it costs.</summary>
public sealed class CassetteRequest
{
    /// <summary>The model asked for (<c>ChatOptions.ModelId</c>).</summary>
    public string? ModelId { get; set; }

    /// <summary>The output cap (<c>ChatOptions.MaxOutputTokens</c>).</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>The instructions sent besides the messages (<c>ChatOptions.Instructions</c>).</summary>
    public string? Instructions { get; set; }

    /// <summary><c>auto</c>, <c>none</c>, <c>required</c> or <c>required:</c> followed by a function name; absent when not set.</summary>
    public string? ToolMode { get; set; }

    /// <summary>The tools declared to the model, in the order they were sent.</summary>
    public List<CassetteTool> Tools { get; set; } = new();

    /// <summary>The messages sent.</summary>
    public List<CassetteMessage> Messages { get; set; } = new();
}

/// <summary>A tool declaration as the model saw it.</summary>
public sealed class CassetteTool
{
    /// <summary>The tool's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The tool's description.</summary>
    public string? Description { get; set; }

    /// <summary>The JSON schema of its parameters, as canonical JSON (object members sorted, no white space).</summary>
    public string? Schema { get; set; }
}

/// <summary>What the model returned for one request.</summary>
public sealed class CassetteResponse
{
    /// <summary>The model that answered.</summary>
    public string? ModelId { get; set; }

    /// <summary>Why the model stopped (<c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>).</summary>
    public string? FinishReason { get; set; }

    /// <summary>The messages returned.</summary>
    public List<CassetteMessage> Messages { get; set; } = new();

    /// <summary>The usage the provider reported, when it did.</summary>
    public CassetteUsage? Usage { get; set; }
}

/// <summary>One chat message.</summary>
public sealed class CassetteMessage
{
    /// <summary>The role: <c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>The author name, when set.</summary>
    public string? AuthorName { get; set; }

    /// <summary>The message's contents, in order.</summary>
    public List<CassetteContent> Contents { get; set; } = new();
}

/// <summary>One content of a message: text, reasoning, a function call or a function result.</summary>
public sealed class CassetteContent
{
    /// <summary>The kind of content (see the <c>…Kind</c> constants).</summary>
    public string Kind { get; set; } = TextKind;

    /// <summary>The text of a text or reasoning content; the result of a function result, as text.</summary>
    public string? Text { get; set; }

    /// <summary>The call ID of a function call or result.</summary>
    public string? CallId { get; set; }

    /// <summary>The function name of a function call.</summary>
    public string? Name { get; set; }

    /// <summary>The arguments of a function call, as canonical JSON (object members sorted, no white space).</summary>
    public string? Arguments { get; set; }

    /// <summary>The kind of a text content.</summary>
    public const string TextKind = "text";

    /// <summary>The kind of a reasoning content.</summary>
    public const string ReasoningKind = "reasoning";

    /// <summary>The kind of a function call.</summary>
    public const string FunctionCallKind = "functionCall";

    /// <summary>The kind of a function result.</summary>
    public const string FunctionResultKind = "functionResult";
}

/// <summary>The token counts a provider reported for one call.</summary>
public sealed class CassetteUsage
{
    /// <summary>All input tokens.</summary>
    public long? InputTokenCount { get; set; }

    /// <summary>Input tokens read from the prompt cache.</summary>
    public long? CachedInputTokenCount { get; set; }

    /// <summary>Output tokens.</summary>
    public long? OutputTokenCount { get; set; }

    /// <summary>Reasoning tokens.</summary>
    public long? ReasoningTokenCount { get; set; }

    /// <summary>Input plus output tokens.</summary>
    public long? TotalTokenCount { get; set; }

    /// <summary>Provider-specific counts (cache writes, for example), sorted by name.</summary>
    public Dictionary<string, long>? AdditionalCounts { get; set; }
}

/// <summary>The source-generated serialization of cassettes and baselines.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Cassette))]
[JsonSerializable(typeof(CostBaselineMetrics))]
internal sealed partial class TestingJsonContext : JsonSerializerContext
{
}
