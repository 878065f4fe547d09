using System.Text.Json;
using AgentGuard.Cli.Audit;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Cli.Reports;

/// <summary>
/// Writes the audit as SARIF 2.1.0: one run, the rules AgentGuard ships (with their help pages) and one result per
/// finding, its file given relative to the audited folder (<c>SRCROOT</c>) so the log moves with the repository.
/// </summary>
internal static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static void Write(AuditReport report, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var root = Path.GetFullPath(report.Root);
        var rootFolder = Directory.Exists(root) ? root : Path.GetDirectoryName(root)!;
        var rules = AgentGuardComponents.Rules.Values.ToList();
        var ruleIndex = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);

        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "AgentGuard");
        json.WriteString("version", AgentGuardComponents.Version);
        json.WriteString("semanticVersion", AgentGuardComponents.Version);
        json.WriteString("informationUri", "https://github.com/agentguard-dotnet/agentguard");
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal));
            WriteMessage(json, "shortDescription", rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteMessage(json, "fullDescription", rule.Description.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!string.IsNullOrEmpty(rule.HelpLinkUri))
            {
                json.WriteString("helpUri", rule.HelpLinkUri);
            }

            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Level(rule.DefaultSeverity));
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("category", rule.Category);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject("SRCROOT");
        json.WriteString("uri", new Uri(rootFolder.EndsWith(Path.DirectorySeparatorChar) ? rootFolder : rootFolder + Path.DirectorySeparatorChar).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", true);
        json.WriteEndObject();
        json.WriteEndArray();

        json.WriteStartArray("results");
        foreach (var finding in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.RuleId);
            if (ruleIndex.TryGetValue(finding.RuleId, out var index))
            {
                json.WriteNumber("ruleIndex", index);
            }

            json.WriteString("level", Level(finding.Severity));
            WriteMessage(json, "message", finding.Message);
            if (finding.FilePath is { } path)
            {
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                // A #line-mapped path may be relative: it is relative to the audited folder here, never to the current one.
                var absolute = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(rootFolder, path));
                var relative = Path.GetRelativePath(rootFolder, absolute);
                if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                {
                    json.WriteString("uri", new Uri(absolute).AbsoluteUri);
                }
                else
                {
                    json.WriteString("uri", string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString)));
                    json.WriteString("uriBaseId", "SRCROOT");
                }

                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", finding.StartLine);
                json.WriteNumber("startColumn", finding.StartColumn);
                json.WriteNumber("endLine", finding.EndLine);
                json.WriteNumber("endColumn", finding.EndColumn);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("properties");
            json.WriteString("project", finding.Project);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>SARIF's level for a Roslyn severity.</summary>
    public static string Level(DiagnosticSeverity severity)
        => severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "note",
            _ => "none",
        };

    private static void WriteMessage(Utf8JsonWriter json, string name, string text)
    {
        json.WriteStartObject(name);
        json.WriteString("text", text);
        json.WriteEndObject();
    }
}
