using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentGuard;

/// <summary>
/// Prices by model ID. A model is found by its exact ID, or as a snapshot of a known model: the known ID followed
/// by a version suffix only — a date (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-5-20250929</c>, Vertex's
/// <c>claude-sonnet-4-5@20250929</c>), a numbered release (<c>gemini-2.0-flash-001</c>, <c>gpt-4-0613</c>) or
/// <c>-latest</c>. Any other suffix names a different model (<c>o3-pro</c> is not <c>o3</c>,
/// <c>gpt-5-pro</c> is not <c>gpt-5</c>) and has no price until one is added. A provider-prefixed ID
/// (<c>azure/gpt-4o</c>) finds its own entry first, then the plain ID; an exact entry at any prefix level wins over
/// a snapshot match at any level. IDs are compared case-insensitively.
/// </summary>
/// <remarks>Thread-safe for reads and writes.</remarks>
public sealed class PriceTable
{
    private static readonly Lazy<PriceTable> DefaultTable = new(LoadDefault);

    // The suffixes that name a snapshot of the same model rather than another model: a date (OpenAI -2024-08-06,
    // Anthropic -20250929, Vertex @20250929), a month-day or numbered release (-0613, -001, @001) and -latest.
    // Previews (-preview, -preview-05-20) are not among them: providers price them apart from the release.
    private static readonly Regex VersionSuffix = new(
        @"(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8}|-\d{4}|[-@]\d{3}|[-@]latest)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly object gate = new();
    private Dictionary<string, ModelPrice> prices = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty table.</summary>
    public PriceTable()
    {
    }

    /// <summary>
    /// List prices of the current major OpenAI, Anthropic and Google models, shipped with AgentGuard as data
    /// (see <see cref="AsOf"/>). A copy: changes to it do not affect other users of the default.
    /// </summary>
    public static PriceTable Default => DefaultTable.Value.Clone();

    /// <summary>The date the prices were taken, when the table was loaded from data that says so.</summary>
    public DateTime? AsOf { get; private set; }

    /// <summary>The model IDs the table knows.</summary>
    public IReadOnlyCollection<string> ModelIds
    {
        get
        {
            lock (gate)
            {
                return new List<string>(prices.Keys);
            }
        }
    }

    /// <summary>
    /// Adds or replaces the price of <paramref name="modelId"/>, under that exact ID: <c>azure/gpt-4o</c> sets the
    /// price of Azure's entry only, not of <c>gpt-4o</c>.
    /// </summary>
    /// <returns>This table, for chaining.</returns>
    public PriceTable Set(string modelId, ModelPrice price)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            throw new ArgumentException("A model ID is required.", nameof(modelId));
        }

        if (price is null)
        {
            throw new ArgumentNullException(nameof(price));
        }

        lock (gate)
        {
            var copy = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase)
            {
                [modelId.Trim()] = price,
            };
            prices = copy;
        }

        return this;
    }

    /// <summary>
    /// Finds the price of <paramref name="modelId"/>: by exact ID, else as a dated or versioned snapshot of a known
    /// ID (see <see cref="PriceTable"/>). A provider prefix (<c>azure/</c>, <c>openrouter/openai/</c>) is looked up
    /// with its entry first, then without, and an exact entry always wins: the ID is tried exactly at every prefix
    /// level (<c>azure/gpt-4o-2024-05-13</c>, then <c>gpt-4o-2024-05-13</c>) before any level is tried as a snapshot
    /// (<c>azure/gpt-4o</c>, then <c>gpt-4o</c>).
    /// </summary>
    public bool TryGetPrice(string? modelId, out ModelPrice price)
    {
        price = null!;
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return false;
        }

        var snapshot = prices;
        var id = modelId!.Trim();

        // An exact entry always wins: every prefix level is tried exactly ("azure/gpt-4o-2024-05-13", then
        // "gpt-4o-2024-05-13") before any is tried as a snapshot ("azure/gpt-4o", then "gpt-4o"), so a snapshot
        // priced apart from its model is not priced as the provider's entry for the model.
        for (var level = id; level is not null; level = WithoutPrefix(level))
        {
            if (snapshot.TryGetValue(level, out price!))
            {
                return true;
            }
        }

        for (var level = id; level is not null; level = WithoutPrefix(level))
        {
            if (TryGetSnapshot(snapshot, level, out price!))
            {
                return true;
            }
        }

        return false;
    }

    // "azure/gpt-4o" without an entry of its own is priced as "gpt-4o"; null when there is no prefix left.
    private static string? WithoutPrefix(string id)
    {
        var slash = id.IndexOf('/');
        return slash < 0 || slash == id.Length - 1 ? null : id.Substring(slash + 1);
    }

    /// <summary>Returns the price of <paramref name="modelId"/> or throws <see cref="UnknownModelPriceException"/>.</summary>
    public ModelPrice GetPrice(string? modelId)
        => TryGetPrice(modelId, out var price) ? price : throw new UnknownModelPriceException(modelId);

    /// <summary>Whether the table has a price for <paramref name="modelId"/>.</summary>
    public bool Contains(string? modelId) => TryGetPrice(modelId, out _);

    /// <summary>A copy of this table.</summary>
    public PriceTable Clone()
    {
        var copy = new PriceTable { AsOf = AsOf };
        lock (gate)
        {
            copy.prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        }

        return copy;
    }

    /// <summary>
    /// Adds the prices in <paramref name="json"/>, in the shape of LiteLLM's price file: an object keyed by model
    /// ID whose entries give <c>input_cost_per_token</c>, <c>output_cost_per_token</c> and optionally
    /// <c>cache_read_input_token_cost</c>, <c>cache_creation_input_token_cost</c> and
    /// <c>output_cost_per_reasoning_token</c>, in USD per token. Entries without both required rates are skipped.
    /// A provider-prefixed entry (<c>azure/gpt-4o</c>, <c>openrouter/openai/gpt-4o</c>, <c>bedrock/...</c>) is
    /// kept under its full ID: it prices requests for that ID and never replaces the price of the plain ID.
    /// </summary>
    /// <returns>This table, for chaining.</returns>
    /// <exception cref="FormatException">The text is not a JSON object.</exception>
    public PriceTable LoadJson(string json)
    {
        if (json is null)
        {
            throw new ArgumentNullException(nameof(json));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new FormatException("The price file is not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The price file must be a JSON object keyed by model ID.");
            }

            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (entry.Name == "_agentguard")
                {
                    if (entry.Value.TryGetProperty("as_of", out var asOf)
                        && asOf.ValueKind == JsonValueKind.String
                        && DateTime.TryParse(asOf.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
                    {
                        AsOf = date;
                    }

                    continue;
                }

                var input = PerMillion(entry.Value, "input_cost_per_token");
                var output = PerMillion(entry.Value, "output_cost_per_token");
                if (input is null || output is null)
                {
                    continue;
                }

                Set(entry.Name, new ModelPrice
                {
                    InputPerMillionUsd = input.Value,
                    OutputPerMillionUsd = output.Value,
                    CachedInputPerMillionUsd = PerMillion(entry.Value, "cache_read_input_token_cost"),
                    CacheWritePerMillionUsd = PerMillion(entry.Value, "cache_creation_input_token_cost"),
                    ReasoningPerMillionUsd = PerMillion(entry.Value, "output_cost_per_reasoning_token"),
                });
            }
        }

        return this;
    }

    /// <summary>Creates a table from a LiteLLM-shaped price file (see <see cref="LoadJson"/>).</summary>
    public static PriceTable FromJson(string json) => new PriceTable().LoadJson(json);

    private static decimal? PerMillion(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return null;
        }

        // Per-token prices such as 2.5e-06 are exact in decimal; scaling gives exact per-million rates.
        if (!decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var perToken) || perToken < 0)
        {
            return null;
        }

        return perToken * 1_000_000m;
    }

    private static bool TryGetSnapshot(Dictionary<string, ModelPrice> snapshot, string id, out ModelPrice price)
    {
        price = null!;
        var suffix = VersionSuffix.Match(id);
        return suffix.Success && suffix.Index > 0 && snapshot.TryGetValue(id.Substring(0, suffix.Index), out price!);
    }

    private static PriceTable LoadDefault()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream("AgentGuard.Pricing.prices.json")
            ?? throw new InvalidOperationException("AgentGuard's price data is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }
}
