using System.Text.Json;

namespace AgentGuard.Cli.Tests;

/// <summary>
/// Checks a SARIF log against what the SARIF 2.1.0 schema requires of the objects AgentGuard writes: the version,
/// runs with a named tool driver, unique rule IDs, results with a message text, a valid level, a rule index that
/// points at the rule named by the result, and locations whose artifact URI is a valid (relative) reference with a
/// declared base and a region whose lines and columns are 1 or more.
/// </summary>
internal static class SarifValidator
{
    private static readonly HashSet<string> Levels = ["none", "note", "warning", "error"];

    public static List<string> Problems(string json)
    {
        var problems = new List<string>();
        using var document = JsonDocument.Parse(json);
        var log = document.RootElement;
        Require(log.TryGetProperty("version", out var version) && version.GetString() == "2.1.0", "version must be \"2.1.0\"", problems);
        Require(log.TryGetProperty("$schema", out var schema) && Uri.IsWellFormedUriString(schema.GetString(), UriKind.Absolute), "$schema must be an absolute URI", problems);
        if (!log.TryGetProperty("runs", out var runs) || runs.ValueKind != JsonValueKind.Array)
        {
            problems.Add("runs must be an array");
            return problems;
        }

        foreach (var run in runs.EnumerateArray())
        {
            if (!run.TryGetProperty("tool", out var tool) || !tool.TryGetProperty("driver", out var driver)
                || !driver.TryGetProperty("name", out var name) || string.IsNullOrEmpty(name.GetString()))
            {
                problems.Add("run.tool.driver.name is required");
                continue;
            }

            var ruleIds = new List<string>();
            if (driver.TryGetProperty("rules", out var rules))
            {
                foreach (var rule in rules.EnumerateArray())
                {
                    var id = rule.GetProperty("id").GetString()!;
                    Require(!ruleIds.Contains(id), $"rule {id} appears twice", problems);
                    ruleIds.Add(id);
                    if (rule.TryGetProperty("helpUri", out var help))
                    {
                        Require(Uri.IsWellFormedUriString(help.GetString(), UriKind.Absolute), $"rule {id} helpUri must be absolute", problems);
                    }

                    if (rule.TryGetProperty("defaultConfiguration", out var configuration))
                    {
                        Require(Levels.Contains(configuration.GetProperty("level").GetString()!), $"rule {id} default level is not a SARIF level", problems);
                    }
                }
            }

            var bases = new HashSet<string>();
            if (run.TryGetProperty("originalUriBaseIds", out var originals))
            {
                foreach (var property in originals.EnumerateObject())
                {
                    var uri = property.Value.GetProperty("uri").GetString()!;
                    Require(Uri.IsWellFormedUriString(uri, UriKind.Absolute) && uri.EndsWith('/'), $"base {property.Name} must be an absolute URI ending in '/'", problems);
                    bases.Add(property.Name);
                }
            }

            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                Require(result.TryGetProperty("message", out var message) && message.TryGetProperty("text", out _), "result.message.text is required", problems);
                var ruleId = result.TryGetProperty("ruleId", out var rid) ? rid.GetString() : null;
                if (result.TryGetProperty("level", out var level))
                {
                    Require(Levels.Contains(level.GetString()!), $"result level '{level}' is not a SARIF level", problems);
                }

                if (result.TryGetProperty("ruleIndex", out var index))
                {
                    var i = index.GetInt32();
                    Require(i >= 0 && i < ruleIds.Count && ruleIds[i] == ruleId, $"ruleIndex {i} does not point at rule {ruleId}", problems);
                }

                if (!result.TryGetProperty("locations", out var locations))
                {
                    continue;
                }

                foreach (var location in locations.EnumerateArray())
                {
                    var physical = location.GetProperty("physicalLocation");
                    var artifact = physical.GetProperty("artifactLocation");
                    var uri = artifact.GetProperty("uri").GetString()!;
                    if (artifact.TryGetProperty("uriBaseId", out var baseId))
                    {
                        Require(bases.Contains(baseId.GetString()!), $"uriBaseId {baseId} is not declared in originalUriBaseIds", problems);
                        Require(Uri.IsWellFormedUriString(uri, UriKind.Relative), $"'{uri}' is not a relative URI reference", problems);
                    }
                    else
                    {
                        Require(Uri.IsWellFormedUriString(uri, UriKind.Absolute), $"'{uri}' without a base must be absolute", problems);
                    }

                    var region = physical.GetProperty("region");
                    foreach (var field in new[] { "startLine", "startColumn", "endLine", "endColumn" })
                    {
                        Require(!region.TryGetProperty(field, out var value) || value.GetInt32() >= 1, $"region.{field} must be 1 or more", problems);
                    }
                }
            }
        }

        return problems;
    }

    private static void Require(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }
}
