using System.Diagnostics;
using AgentGuard.Cli.Reports;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Cli.Audit;

/// <summary>
/// <c>audit</c>: finds the projects, analyzes them one at a time, writes the reports and turns the findings into an
/// exit code. Exit codes: 0 done (no finding at or above <c>--fail-on</c>), 1 findings at or above it, 2 bad input
/// (no such path, nothing to audit, an unknown rule), 3 the audit itself failed.
/// </summary>
internal static class AuditCommand
{
    public const int Success = 0;
    public const int FindingsFound = 1;
    public const int BadInput = 2;
    public const int Failed = 3;

    public static async Task<int> RunAsync(AuditRequest request, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var progress = new ProgressReporter(errors, interactive: !Console.IsErrorRedirected && ReferenceEquals(errors, Console.Error));
        try
        {
            if (request.Rules is { } rules && rules.FirstOrDefault(r => !AgentGuardComponents.Rules.ContainsKey(r)) is { } unknown)
            {
                throw new AuditInputException($"unknown rule '{unknown}'; AgentGuard's rules are {string.Join(", ", AgentGuardComponents.Rules.Keys)}.");
            }

            var clock = Stopwatch.StartNew();
            var target = ProjectLoader.Discover(request.Path);
            var projects = new List<ProjectReport>();
            var changes = new List<FileChange>();
            using (var loader = new ProjectLoader(request.Restore, progress.Note))
            {
                var index = 0;
                var total = target.Kind == TargetKind.Folder ? 1 : target.Kind == TargetKind.Projects ? target.Paths.Length : 0;
                await foreach (var loaded in loader.LoadAsync(target, cancellationToken).ConfigureAwait(false))
                {
                    progress.Step(++index, total, loaded.Name);
                    var (report, _) = await AuditEngine.AnalyzeAsync(loaded, request.Rules, cancellationToken).ConfigureAwait(false);
                    projects.Add(report);
                    if (request.Fix && report.Findings.Count > 0)
                    {
                        changes.AddRange(await FixApplier.ApplyAsync(loaded, request.Rules, cancellationToken).ConfigureAwait(false));
                    }
                }
            }

            progress.Done();
            var audit = new AuditReport(target.Root, projects, changes, clock.Elapsed);
            ConsoleSummary.Write(audit, output);
            if (request.SarifPath is { } sarif)
            {
                await using var stream = File.Create(sarif);
                SarifWriter.Write(audit, stream);
                output.WriteLine($"SARIF: {Path.GetFullPath(sarif)}");
            }

            if (request.JsonPath is { } json)
            {
                await using var stream = File.Create(json);
                JsonReportWriter.Write(audit, stream);
                output.WriteLine($"JSON: {Path.GetFullPath(json)}");
            }

            return request.FailOn != FailLevel.None && audit.Findings.Any(f => Level(f.Severity) >= request.FailOn) ? FindingsFound : Success;
        }
        catch (AuditInputException exception)
        {
            progress.Done();
            errors.WriteLine("agentguard: " + exception.Message);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            progress.Done();
            errors.WriteLine("agentguard: cancelled.");
            return Failed;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            progress.Done();
            errors.WriteLine("agentguard: the audit failed: " + exception.Message);
            return Failed;
        }
    }

    private static FailLevel Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => FailLevel.Error,
        DiagnosticSeverity.Warning => FailLevel.Warning,
        DiagnosticSeverity.Info => FailLevel.Info,
        _ => FailLevel.None,
    };
}

/// <summary>Progress on standard error: one line redrawn on a terminal, a line per project when redirected.</summary>
internal sealed class ProgressReporter(TextWriter writer, bool interactive)
{
    private bool drawn;

    public void Step(int index, int total, string project)
    {
        var count = total > 0 ? $"{index}/{total}" : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (interactive)
        {
            const int Width = 24;
            var filled = total > 0 ? Width * (index - 1) / total : 0;
            writer.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {count} {project}".PadRight(Console.IsErrorRedirected ? 0 : Math.Max(0, SafeWidth() - 1)));
            drawn = true;
        }
        else
        {
            writer.WriteLine($"[{count}] {project}");
        }
    }

    public void Note(string message)
    {
        Done();
        writer.WriteLine(message);
    }

    public void Done()
    {
        if (drawn)
        {
            writer.WriteLine();
            drawn = false;
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
