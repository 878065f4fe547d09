using System.Globalization;
using AgentGuard.Cli.Audit;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Cli.Reports;

/// <summary>The audit in a few tables: projects and how each was read, findings per rule, the files with most findings, each agent's worst-case cost and the analyzers' time.</summary>
internal static class ConsoleSummary
{
    public static void Write(AuditReport report, TextWriter output)
    {
        var findings = report.Findings.ToList();
        output.WriteLine();
        output.WriteLine($"AgentGuard {AgentGuardComponents.Version} audit of {report.Root} ({report.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        output.WriteLine();

        output.WriteLine("Projects");
        foreach (var project in report.Projects)
        {
            var mode = project.Mode == LoadMode.Loaded ? "loaded" : "ad hoc";
            var errors = project.CompilerErrors == 0 ? "no compiler errors" : $"{project.CompilerErrors} compiler errors";
            output.WriteLine($"  {project.Name,-40} {mode,-7} {project.Documents,5} files  {errors}{(project.LoadProblem is { } why ? " — " + why : string.Empty)}");
        }

        output.WriteLine();
        if (findings.Count == 0)
        {
            output.WriteLine("No findings.");
        }
        else
        {
            output.WriteLine("Findings per rule");
            foreach (var group in findings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var title = AgentGuardComponents.Rules.TryGetValue(group.Key, out var rule) ? rule.Title.ToString(CultureInfo.InvariantCulture) : string.Empty;
                output.WriteLine($"  {group.Key}  {group.Count(),5}  {Severity(group.First().Severity),-7}  {title}");
            }

            output.WriteLine();
            output.WriteLine("Files with most findings");
            foreach (var group in findings.Where(f => f.FilePath is not null).GroupBy(f => f.FilePath!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(10))
            {
                output.WriteLine($"  {group.Count(),5}  {Relative(report.Root, group.Key)}");
            }
        }

        var agents = report.Projects.SelectMany(p => p.Agents).ToList();
        if (agents.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Agents and the most one run can cost");
            foreach (var agent in agents.OrderBy(a => a.Project, StringComparer.Ordinal).ThenBy(a => a.Agent, StringComparer.Ordinal))
            {
                output.WriteLine($"  {agent.Project + "/" + agent.Agent,-48} {agent.Bound,-22} {agent.Explanation}");
            }
        }

        var time = report.Projects.SelectMany(p => p.AnalyzerTime).GroupBy(p => p.Key)
            .Select(g => (Analyzer: g.Key, Time: TimeSpan.FromTicks(g.Sum(p => p.Value.Ticks))))
            .Where(p => p.Time > TimeSpan.Zero)
            .OrderByDescending(p => p.Time)
            .ToList();
        if (time.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Analyzer time");
            foreach (var (analyzer, spent) in time)
            {
                output.WriteLine($"  {spent.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture),7} ms  {analyzer}");
            }
        }

        if (report.Changes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Fixed");
            foreach (var change in report.Changes)
            {
                output.WriteLine($"  +{change.LinesAdded} -{change.LinesRemoved}  {Relative(report.Root, change.FilePath)}  ({string.Join(", ", change.Rules)})");
            }
        }

        output.WriteLine();
        output.WriteLine($"{findings.Count(f => f.Severity == DiagnosticSeverity.Error)} errors, {findings.Count(f => f.Severity == DiagnosticSeverity.Warning)} warnings, {findings.Count(f => f.Severity == DiagnosticSeverity.Info)} notes in {report.Projects.Count} projects.");
    }

    private static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "note",
        _ => "hidden",
    };

    private static string Relative(string root, string path)
    {
        var folder = Directory.Exists(root) ? root : Path.GetDirectoryName(root) ?? root;
        var relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
