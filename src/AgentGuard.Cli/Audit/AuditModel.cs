using Microsoft.CodeAnalysis;

namespace AgentGuard.Cli.Audit;

/// <summary>How a project's compilation was obtained.</summary>
internal enum LoadMode
{
    /// <summary>Opened with MSBuild: the project's own references, options and <c>.editorconfig</c>.</summary>
    Loaded,

    /// <summary>Its <c>.cs</c> files compiled with the references the tool carries: the project did not load or restore.</summary>
    AdHoc,
}

/// <summary>When the audit's exit code says "findings": <c>none</c> never, else at this severity or above.</summary>
internal enum FailLevel
{
    None,
    Info,
    Warning,
    Error,
}

/// <summary>What the user asked for.</summary>
internal sealed record AuditRequest(
    string Path,
    string? SarifPath,
    string? JsonPath,
    FailLevel FailOn,
    bool Fix,
    IReadOnlySet<string>? Rules,
    bool Restore);

/// <summary>One diagnostic AgentGuard reported.</summary>
internal sealed record Finding(
    string RuleId,
    DiagnosticSeverity Severity,
    string Message,
    string Project,
    string? FilePath,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn);

/// <summary>A generated agent and the most one run of it can cost (from AG1010).</summary>
internal sealed record AgentCost(string Project, string Agent, string Bound, string Explanation, string? FilePath, int Line);

/// <summary>What the audit learned about one project.</summary>
internal sealed record ProjectReport(
    string Name,
    string Path,
    LoadMode Mode,
    string? LoadProblem,
    int CompilerErrors,
    int Documents,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<AgentCost> Agents,
    IReadOnlyDictionary<string, TimeSpan> AnalyzerTime);

/// <summary>A file the fixes changed.</summary>
internal sealed record FileChange(string FilePath, int LinesAdded, int LinesRemoved, IReadOnlyList<string> Rules);

/// <summary>The whole audit.</summary>
internal sealed record AuditReport(
    string Root,
    IReadOnlyList<ProjectReport> Projects,
    IReadOnlyList<FileChange> Changes,
    TimeSpan Elapsed)
{
    /// <summary>
    /// Every finding once: a file compiled into two projects (a linked file, two ad-hoc projects over one folder) is
    /// reported by both, and counts once — the first project's.
    /// </summary>
    public IEnumerable<Finding> Findings
    {
        get
        {
            var seen = new HashSet<(string, string?, int, int, int, int)>();
            foreach (var project in Projects)
            {
                foreach (var finding in project.Findings)
                {
                    if (finding.FilePath is null
                        || seen.Add((finding.RuleId, finding.FilePath, finding.StartLine, finding.StartColumn, finding.EndLine, finding.EndColumn)))
                    {
                        yield return finding;
                    }
                }
            }
        }
    }
}
