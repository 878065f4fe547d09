using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AgentGuard.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Cli.Audit;

/// <summary>Runs the generator and the analyzers over one project's compilation and turns what they report into findings.</summary>
internal static partial class AuditEngine
{
    /// <summary>The compilation with AgentGuard's generated agents, and the findings of every analyzer.</summary>
    public static async Task<(ProjectReport Report, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(LoadedProject loaded, IReadOnlySet<string>? rules, CancellationToken cancellationToken)
    {
        var withAgents = await CompileWithAgentsAsync(loaded.Project, cancellationToken).ConfigureAwait(false);

        var options = new CompilationWithAnalyzersOptions(
            loaded.Project.AnalyzerOptions,
            onAnalyzerException: null,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var analyzers = AgentGuardComponents.Analyzers;
        var withAnalyzers = withAgents.WithAnalyzers(analyzers, options);
        // The compiler's diagnostics (errors counted on the code a build compiles, generated agents included), then the
        // analyzers'. The analysis result carries each analyzer's telemetry, as /reportanalyzer prints it; the
        // telemetry API asked separately after GetAllDiagnosticsAsync reports no time.
        var compilerErrors = 0;
        foreach (var diagnostic in withAgents.GetDiagnostics(cancellationToken))
        {
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                compilerErrors++;
            }
        }

        var result = await withAnalyzers.GetAnalysisResultAsync(cancellationToken).ConfigureAwait(false);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var diagnostic in result.GetAllDiagnostics())
        {
            if (AgentGuardComponents.Rules.ContainsKey(diagnostic.Id) || diagnostic.Id == "AD0001")
            {
                diagnostics.Add(diagnostic);
            }
        }

        var time = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            time[analyzer.GetType().Name] = result.AnalyzerTelemetryInfo.TryGetValue(analyzer, out var telemetry) ? telemetry.ExecutionTime : TimeSpan.Zero;
        }

        var findings = new List<Finding>();
        var agents = new List<AgentCost>();
        var kept = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Hidden || diagnostic.IsSuppressed)
            {
                continue;
            }

            var span = diagnostic.Location.GetMappedLineSpan();
            var path = diagnostic.Location.IsInSource ? span.Path : null;
            if (diagnostic.Id == DiagnosticIds.WorstCaseCost && WorstCase().Match(diagnostic.GetMessage()) is { Success: true } match)
            {
                agents.Add(new AgentCost(loaded.Name, match.Groups["agent"].Value, match.Groups["bound"].Value, match.Groups["why"].Value, path, span.StartLinePosition.Line + 1));
            }

            if (rules is not null && !rules.Contains(diagnostic.Id))
            {
                continue;
            }

            kept.Add(diagnostic);
            findings.Add(new Finding(
                diagnostic.Id,
                diagnostic.Severity,
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                loaded.Name,
                path,
                span.StartLinePosition.Line + 1,
                span.StartLinePosition.Character + 1,
                span.EndLinePosition.Line + 1,
                span.EndLinePosition.Character + 1));
        }

        findings.Sort(Compare);
        var report = new ProjectReport(
            loaded.Name,
            loaded.Path,
            loaded.Mode,
            loaded.LoadProblem,
            compilerErrors,
            loaded.Project.DocumentIds.Count,
            findings,
            agents,
            time);
        return (report, kept.ToImmutable());
    }

    /// <summary>
    /// The project's compilation with AgentGuard's generated agents added, as in a build: analyzers see the generated
    /// agents (AG1013 needs them), AG1010 states what each one can cost, and calls to generated members bind.
    /// </summary>
    public static async Task<Compilation> CompileWithAgentsAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException(project.Name + " has no compilation.");
        var parseOptions = project.ParseOptions as CSharpParseOptions ?? new CSharpParseOptions(LanguageVersion.Latest);
        CSharpGeneratorDriver.Create([AgentGuardComponents.Generator], parseOptions: parseOptions, optionsProvider: project.AnalyzerOptions.AnalyzerConfigOptionsProvider)
            .RunGeneratorsAndUpdateCompilation(compilation, out var withAgents, out _, cancellationToken);
        return withAgents;
    }

    private static int Compare(Finding a, Finding b)
    {
        var byPath = string.CompareOrdinal(a.FilePath, b.FilePath);
        if (byPath != 0)
        {
            return byPath;
        }

        var byLine = a.StartLine.CompareTo(b.StartLine);
        return byLine != 0 ? byLine : a.StartColumn != b.StartColumn ? a.StartColumn.CompareTo(b.StartColumn) : string.CompareOrdinal(a.RuleId, b.RuleId);
    }

    // AG1010's message: "One run of 'X' costs at most $0.05 with the default prices of 2026-11-01: why".
    [GeneratedRegex(@"^One run of '(?<agent>[^']+)' costs at most (?<bound>.+?) with the default prices of [^:]+: (?<why>.*)$")]
    private static partial Regex WorstCase();
}
