using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// The runtime's default price file, linked into this assembly, read just far enough to bound an agent's
/// worst-case cost: its date and its highest per-token rate.
/// </summary>
internal static class DefaultPrices
{
    private static readonly Lazy<(string AsOf, decimal MaxRatePerMillion, string MaxRateModel)> Data = new(Load);

    /// <summary>The date of the prices.</summary>
    public static string AsOf => Data.Value.AsOf;

    /// <summary>The highest rate of any kind of token of any model, USD per million tokens.</summary>
    public static decimal MaxRatePerMillion => Data.Value.MaxRatePerMillion;

    /// <summary>The model with that rate.</summary>
    public static string MaxRateModel => Data.Value.MaxRateModel;

    private static (string, decimal, string) Load()
    {
        try
        {
            using var stream = typeof(DefaultPrices).Assembly.GetManifestResourceStream("AgentGuard.Pricing.prices.json");
            if (stream is null)
            {
                return ("unknown", 0m, "unknown");
            }

            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            var asOf = Regex.Match(text, "\"as_of\"\\s*:\\s*\"([^\"]+)\"").Groups[1].Value;
            var max = 0m;
            var maxModel = "unknown";
            foreach (Match model in Regex.Matches(text, "\"([^\"]+)\"\\s*:\\s*\\{([^}]*)\\}"))
            {
                foreach (Match rate in Regex.Matches(model.Groups[2].Value, "\"[a-z_]*cost[a-z_]*\"\\s*:\\s*([0-9.eE+-]+)"))
                {
                    if (decimal.TryParse(rate.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var perToken) && perToken * 1_000_000m > max)
                    {
                        max = perToken * 1_000_000m;
                        maxModel = model.Groups[1].Value;
                    }
                }
            }

            return (asOf.Length == 0 ? "unknown" : asOf, max, maxModel);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or RegexMatchTimeoutException)
        {
            return ("unknown", 0m, "unknown");
        }
    }
}
