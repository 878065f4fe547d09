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

            CheckOutputPath("--sarif", request.SarifPath);
            CheckOutputPath("--json", request.JsonPath);
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
                        if (loaded.Mode == LoadMode.AdHoc && report.CompilerErrors > 0)
                        {
                            // Fixes computed where references are missing could be wrong: leave such a project alone.
                            progress.Note($"{loaded.Name}: not fixed — its ad-hoc compilation has {report.CompilerErrors} compiler errors");
                        }
                        else
                        {
                            changes.AddRange(await FixApplier.ApplyAsync(loaded, request.Rules, cancellationToken).ConfigureAwait(false));
                        }
                    }
                }
            }

            progress.Done();
            if (projects.Count == 0)
            {
                throw new AuditInputException($"'{request.Path}' names no C# project.");
            }

            var audit = new AuditReport(target.Root, projects, changes, clock.Elapsed);
            ConsoleSummary.Write(audit, output);
            if (request.SarifPath is { } sarif)
            {
                WriteAtomically(sarif, stream => SarifWriter.Write(audit, stream));
                output.WriteLine($"SARIF: {Path.GetFullPath(sarif)}");
            }

            if (request.JsonPath is { } json)
            {
                WriteAtomically(json, stream => JsonReportWriter.Write(audit, stream));
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
        catch (Exception exception)
        {
            progress.Done();
            errors.WriteLine("agentguard: the audit failed: " + exception.GetType().Name + ": " + exception.Message);
            return Failed;
        }
    }

    // Checked before the audit, so a typo in a report path costs nothing and --fix has not yet written anything.
    private static void CheckOutputPath(string option, string? path)
    {
        if (path is null)
        {
            return;
        }

        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new AuditInputException($"{option} '{path}' is not a valid file path.");
        }

        if (path.Length == 0 || Directory.Exists(full))
        {
            throw new AuditInputException($"{option} needs a file path, not '{path}'.");
        }

        if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
        {
            throw new AuditInputException($"{option} '{path}': the folder '{folder}' does not exist.");
        }
    }

    // A report is written to a temporary file and moved into place: a failure never leaves half a report behind.
    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = File.Create(temporary))
            {
                write(stream);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
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
