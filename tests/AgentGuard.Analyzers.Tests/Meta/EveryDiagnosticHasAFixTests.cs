using System.Collections.Immutable;
using System.Reflection;
using AgentGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Tests.Meta;

/// <summary>
/// Every AG0001–AG0006 diagnostic on the cost pitfalls of <c>samples/CostPitfalls</c> — one file per mistake, across
/// Microsoft.Extensions.AI, Agent Framework, Semantic Kernel, the OpenAI Responses API and Anthropic — offers a fix, and
/// the fix removes it without adding a compiler error.
/// </summary>
public sealed class EveryDiagnosticHasAFixTests
{
    [Fact]
    public async Task EveryCostDiagnosticOfTheSamples_HasAFixThatRemovesIt()
    {
        var references = (await TestReferences.WithModelApis.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).Add(TestReferences.AgentGuardRuntime);
        var files = Directory.GetFiles(RepositoryFiles.PathOf("samples", "CostPitfalls"), "AG000*.cs").OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "CostPitfalls",
            "CostPitfalls",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["OPENAI001"] = ReportDiagnostic.Suppress, ["MEAI001"] = ReportDiagnostic.Suppress }),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: references));
        foreach (var file in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file);
        }

        var project = solution.GetProject(projectId)!;
        var analyzers = AllAnalyzers();
        var fixes = AllCodeFixes();
        var diagnostics = await AnalyzeAsync(project, analyzers);
        var cost = diagnostics.Where(d => d.Id is "AG0001" or "AG0002" or "AG0003" or "AG0004" or "AG0005" or "AG0006").ToList();
        Assert.True(cost.Count >= files.Count - 1, $"Expected a cost diagnostic per sample file, got {cost.Count}");

        var failures = new List<string>();
        foreach (var diagnostic in cost)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree!)!;
            var actions = new List<CodeAction>();
            foreach (var fix in fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            }

            if (actions.Count == 0)
            {
                failures.Add($"{diagnostic.Id} in {document.Name}: no fix offered ({diagnostic.GetMessage()})");
                continue;
            }

            var changed = await Apply(actions[0], solution);
            var fixedProject = changed.GetProject(projectId)!;
            var before = CompilerErrors(await project.GetCompilationAsync());
            var after = CompilerErrors(await fixedProject.GetCompilationAsync());
            if (after.Count > before.Count)
            {
                failures.Add($"{diagnostic.Id} in {document.Name}: '{actions[0].Title}' adds {string.Join("; ", after.Except(before))}");
                continue;
            }

            var remaining = (await AnalyzeAsync(fixedProject, analyzers))
                .Count(d => d.Id == diagnostic.Id && d.Location.SourceTree?.FilePath == diagnostic.Location.SourceTree?.FilePath);
            var had = cost.Count(d => d.Id == diagnostic.Id && d.Location.SourceTree == diagnostic.Location.SourceTree);
            if (remaining >= had)
            {
                failures.Add($"{diagnostic.Id} in {document.Name}: '{actions[0].Title}' leaves the diagnostic");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static async Task<Solution> Apply(CodeAction action, Solution solution)
    {
        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
        {
            if (operation is ApplyChangesOperation apply)
            {
                return apply.ChangedSolution;
            }
        }

        return solution;
    }

    private static List<string> CompilerErrors(Compilation? compilation)
        => compilation is null
            ? []
            : compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id + " " + d.GetMessage()).ToList();

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compilation = await project.GetCompilationAsync();
        return await compilation!.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    }

    private static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers()
        => typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    private static IReadOnlyList<CodeFixProvider> AllCodeFixes()
        => typeof(AgentGuard.CodeFixes.CodeFixAssemblyMarker).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToList();
}
