using System.Text.Json;
using AgentGuard.Cli.Audit;

namespace AgentGuard.Cli.Reports;

/// <summary>Writes the audit as one JSON document: projects (how each was loaded), findings, agents and their worst-case cost, rule counts and analyzer time.</summary>
internal static class JsonReportWriter
{
    public static void Write(AuditReport report, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("tool", "AgentGuard");
        json.WriteString("version", AgentGuardComponents.Version);
        json.WriteString("root", report.Root);
        json.WriteNumber("elapsedSeconds", Math.Round(report.Elapsed.TotalSeconds, 3));

        json.WriteStartObject("ruleCounts");
        foreach (var group in report.Findings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(group.Key, group.Count());
        }

        json.WriteEndObject();

        json.WriteStartArray("projects");
        foreach (var project in report.Projects)
        {
            json.WriteStartObject();
            json.WriteString("name", project.Name);
            json.WriteString("path", project.Path);
            json.WriteString("mode", project.Mode == LoadMode.Loaded ? "loaded" : "ad-hoc");
            if (project.LoadProblem is { } problem)
            {
                json.WriteString("loadProblem", problem);
            }

            json.WriteNumber("documents", project.Documents);
            json.WriteNumber("compilerErrors", project.CompilerErrors);
            json.WriteStartObject("analyzerSeconds");
            foreach (var (analyzer, time) in project.AnalyzerTime.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(analyzer, Math.Round(time.TotalSeconds, 6));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("findings");
        foreach (var finding in report.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", finding.RuleId);
            json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
            json.WriteString("message", finding.Message);
            json.WriteString("project", finding.Project);
            json.WriteString("file", finding.FilePath);
            json.WriteNumber("line", finding.StartLine);
            json.WriteNumber("column", finding.StartColumn);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("agents");
        foreach (var agent in report.Projects.SelectMany(p => p.Agents))
        {
            json.WriteStartObject();
            json.WriteString("project", agent.Project);
            json.WriteString("agent", agent.Agent);
            json.WriteString("worstCase", agent.Bound);
            json.WriteString("explanation", agent.Explanation);
            json.WriteString("file", agent.FilePath);
            json.WriteNumber("line", agent.Line);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("fixedFiles");
        foreach (var change in report.Changes)
        {
            json.WriteStartObject();
            json.WriteString("file", change.FilePath);
            json.WriteNumber("linesAdded", change.LinesAdded);
            json.WriteNumber("linesRemoved", change.LinesRemoved);
            json.WriteStartArray("rules");
            foreach (var rule in change.Rules)
            {
                json.WriteStringValue(rule);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
