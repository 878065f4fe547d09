using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Cli.Audit;

/// <summary>A project ready to analyze: a <see cref="Project"/> in a workspace, and how it was obtained.</summary>
internal sealed record LoadedProject(string Name, string Path, Project Project, LoadMode Mode, string? LoadProblem);

/// <summary>
/// Finds the projects under a path and opens each: with MSBuild when it loads and restores, else as an ad-hoc
/// compilation of its <c>.cs</c> files with the references this tool carries. Projects are yielded one at a time, so
/// the caller holds one compilation at a time.
/// </summary>
internal sealed class ProjectLoader : IDisposable
{
    private static readonly string[] SkippedFolders = ["bin", "obj", ".git", ".vs", "node_modules", "artifacts"];

    // The model APIs, AgentGuard's runtime and Spectre.Console (what paces many console chats), from this tool's own
    // folder: what an ad-hoc compilation references besides the framework, so calls to them bind and the rules see them.
    private static readonly string[] CarriedAssemblyPrefixes =
        ["Microsoft.Extensions.", "Microsoft.SemanticKernel", "Microsoft.Agents.AI", "OpenAI", "Anthropic", "Spectre.Console", "Azure.AI.OpenAI", "Azure.Identity", "Azure.Core", "System.ClientModel", "System.Memory.Data", "AgentGuard.dll"];

    private readonly bool restore;
    private readonly Action<string> log;
    private MSBuildWorkspace? workspace;

    public ProjectLoader(bool restore, Action<string> log)
    {
        this.restore = restore;
        this.log = log;
    }

    /// <summary>
    /// The solution or projects at <paramref name="path"/>: a <c>.sln</c>/<c>.slnx</c>, a <c>.csproj</c>, or a folder
    /// (its one solution, else every project below it, else its loose <c>.cs</c> files as one project).
    /// </summary>
    public static Target Discover(string path)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new AuditInputException($"'{path}' is not a valid path.");
        }

        if (File.Exists(full))
        {
            return System.IO.Path.GetExtension(full).ToLowerInvariant() switch
            {
                ".sln" or ".slnx" => new Target(full, TargetKind.Solution, [full]),
                ".csproj" => new Target(full, TargetKind.Projects, [full]),
                _ => throw new AuditInputException($"'{path}' is neither a solution (.sln, .slnx), a C# project (.csproj) nor a folder."),
            };
        }

        if (!Directory.Exists(full))
        {
            throw new AuditInputException($"'{path}' does not exist.");
        }

        var solutions = Directory.GetFiles(full, "*.sln").Concat(Directory.GetFiles(full, "*.slnx")).ToArray();
        if (solutions.Length == 1)
        {
            return new Target(full, TargetKind.Solution, solutions);
        }

        var projects = EnumerateFiles(full, "*.csproj").OrderBy(p => p, StringComparer.Ordinal).ToArray();
        if (projects.Length > 0)
        {
            return new Target(full, TargetKind.Projects, projects);
        }

        if (EnumerateFiles(full, "*.cs").Any())
        {
            return new Target(full, TargetKind.Folder, [full]);
        }

        throw new AuditInputException($"'{path}' holds no solution, no C# project and no .cs file.");
    }

    /// <summary>Opens every project of <paramref name="target"/>, one at a time.</summary>
    public async IAsyncEnumerable<LoadedProject> LoadAsync(Target target, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var projectPaths = target.Kind switch
        {
            TargetKind.Solution => SolutionProjects(target.Paths[0]),
            TargetKind.Projects => target.Paths,
            _ => Array.Empty<string>(),
        };

        if (target.Kind == TargetKind.Folder)
        {
            yield return AdHoc(System.IO.Path.GetFileName(target.Root.TrimEnd(System.IO.Path.DirectorySeparatorChar)), target.Root, target.Root, null);
            yield break;
        }

        foreach (var projectPath in projectPaths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await LoadProjectAsync(projectPath, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => workspace?.Dispose();

    private async Task<LoadedProject> LoadProjectAsync(string projectPath, CancellationToken cancellationToken)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(projectPath);
        var folder = System.IO.Path.GetDirectoryName(projectPath)!;
        if (!File.Exists(projectPath))
        {
            return AdHoc(name, projectPath, folder, "the solution names it, but the file does not exist");
        }

        var restored = File.Exists(System.IO.Path.Combine(folder, "obj", "project.assets.json"));
        if (!restored && !restore)
        {
            // MSBuild would load it with no references and no sources: nothing would be analyzed.
            return AdHoc(name, projectPath, folder, "never restored, and --no-restore was given");
        }

        if (!restored && await RestoreAsync(projectPath, cancellationToken).ConfigureAwait(false) is { } restoreProblem)
        {
            return AdHoc(name, projectPath, folder, restoreProblem);
        }

        var failures = new List<string>();
        try
        {
            // One workspace per project: its solution (and every compilation in it) is dropped before the next project.
            workspace?.Dispose();
            workspace = MSBuildWorkspace.Create();

            // Referenced projects come in as their built assemblies where those exist, so one project's audit does not
            // compile its whole dependency closure; a reference never built is still loaded from source.
            workspace.LoadMetadataForReferencedProjects = true;
            workspace.RegisterWorkspaceFailedHandler(e =>
            {
                if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
                {
                    failures.Add(e.Diagnostic.Message);
                }
            });
            var project = await workspace.OpenProjectAsync(projectPath, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!project.SupportsCompilation || project.Language != LanguageNames.CSharp)
            {
                return AdHoc(name, projectPath, folder, "not a C# project MSBuild could load");
            }

            if (project.MetadataReferences.Count == 0)
            {
                return AdHoc(name, projectPath, folder, failures.Count > 0 ? failures[0] : "MSBuild resolved no references (not restored?)");
            }

            if (!project.Documents.Any() && EnumerateFiles(folder, "*.cs").Any())
            {
                return AdHoc(name, projectPath, folder, failures.Count > 0 ? failures[0] : "MSBuild found none of the project's source files");
            }

            return new LoadedProject(name, projectPath, WithoutAgentGuardAnalyzers(project), LoadMode.Loaded, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return AdHoc(name, projectPath, folder, FirstLine(exception.Message));
        }
    }

    // A project that already uses AgentGuard would run its generator twice (once from its package, once here).
    private static Project WithoutAgentGuardAnalyzers(Project project)
    {
        foreach (var reference in project.AnalyzerReferences)
        {
            if (reference.Display?.StartsWith("AgentGuard", StringComparison.OrdinalIgnoreCase) == true
                || (reference.FullPath is { } path && System.IO.Path.GetFileName(path).StartsWith("AgentGuard.", StringComparison.OrdinalIgnoreCase)))
            {
                project = project.RemoveAnalyzerReference(reference);
            }
        }

        return project;
    }

    private async Task<string?> RestoreAsync(string projectPath, CancellationToken cancellationToken)
    {
        log($"restoring {System.IO.Path.GetFileName(projectPath)}");
        // Warnings are not errors here: a project that builds with warnings as errors still restores for analysis
        // when its feed offers a newer patch of a package (NU1603) or reports an advisory.
        var start = new ProcessStartInfo("dotnet", ["restore", projectPath, "--verbosity", "quiet", "-nologo", "-p:TreatWarningsAsErrors=false", "-p:WarningsAsErrors="])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start)!;
            using var kill = cancellationToken.Register(() =>
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It has exited already.
                }
            });
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode == 0)
            {
                return null;
            }

            var text = (await output.ConfigureAwait(false)) + (await error.ConfigureAwait(false));
            return "restore failed: " + FirstErrorLine(text.Trim());
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return "restore could not run: " + exception.Message;
        }
    }

    /// <summary>The first line that reports an error (a restore prints its warnings, NU1603 and the like, first).</summary>
    private static string FirstErrorLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Contains(": error ", StringComparison.Ordinal) || line.Contains("error NU", StringComparison.Ordinal))
            {
                return line.Trim();
            }
        }

        return FirstLine(text);
    }

    private static string[] SolutionProjects(string solutionPath)
    {
        // Read the project list ourselves: a solution with a broken project still audits the rest.
        var folder = System.IO.Path.GetDirectoryName(solutionPath)!;
        var relatives = new List<string>();
        if (solutionPath.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                foreach (var project in System.Xml.Linq.XDocument.Load(solutionPath).Descendants("Project"))
                {
                    if (project.Attribute("Path")?.Value is { } value)
                    {
                        relatives.Add(value);
                    }
                }
            }
            catch (System.Xml.XmlException exception)
            {
                throw new AuditInputException($"'{solutionPath}' is not a valid .slnx file: {exception.Message}");
            }
        }
        else
        {
            foreach (var line in File.ReadLines(solutionPath))
            {
                // Project("{type}") = "Name", "relative\path.csproj", "{guid}"
                var parts = line.StartsWith("Project(", StringComparison.Ordinal) ? line.Split('"') : null;
                if (parts is { Length: > 5 })
                {
                    relatives.Add(parts[5]);
                }
            }
        }

        var projects = new List<string>();
        foreach (var relative in relatives)
        {
            if (relative.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                projects.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative.Replace('\\', System.IO.Path.DirectorySeparatorChar))));
            }
        }

        return projects.ToArray();
    }

    private LoadedProject AdHoc(string name, string path, string folder, string? problem)
    {
        if (problem is not null)
        {
            log($"{name}: {problem}; compiling its .cs files ad hoc");
        }

        workspace?.Dispose();
        workspace = null;
        var adhoc = new AdhocWorkspace();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var projectId = ProjectId.CreateNewId(name);
        var solution = adhoc.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            name,
            name,
            LanguageNames.CSharp,
            filePath: File.Exists(path) ? path : null,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: parseOptions,
            metadataReferences: CarriedReferences.Value));
        foreach (var file in EnumerateFiles(folder, "*.cs"))
        {
            // Read as a stream so the text keeps the file's encoding (and BOM), which --fix writes back.
            using var stream = File.OpenRead(file);
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), System.IO.Path.GetFileName(file), SourceText.From(stream), filePath: file);
        }

        // SDK projects import these namespaces implicitly; without them most of a project would not bind.
        solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "AgentGuard.ImplicitUsings.g.cs", SourceText.From(ImplicitUsings));
        return new LoadedProject(name, path, solution.GetProject(projectId)!, LoadMode.AdHoc, problem);
    }

    private const string ImplicitUsings = """
        // <auto-generated/>
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> CarriedReferences = new(() =>
    {
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES"))?.Split(System.IO.Path.PathSeparator) ?? [];
        foreach (var file in platform)
        {
            var name = System.IO.Path.GetFileName(file);
            if ((name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll" or "Microsoft.Win32.Primitives.dll")
                && seen.Add(name))
            {
                references.Add(MetadataReference.CreateFromFile(file));
            }
        }

        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = System.IO.Path.GetFileName(file);
            if (CarriedAssemblyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) && seen.Add(name))
            {
                references.Add(MetadataReference.CreateFromFile(file));
            }
        }

        return references.ToImmutable();
    });

    private static IEnumerable<string> EnumerateFiles(string folder, string pattern)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            string[] files, folders;
            try
            {
                files = Directory.GetFiles(current, pattern);
                folders = Directory.GetDirectories(current);
            }
            catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var child in folders)
            {
                if (!SkippedFolders.Contains(System.IO.Path.GetFileName(child), StringComparer.OrdinalIgnoreCase))
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text.Substring(0, end);
    }
}

/// <summary>What a path names: a solution, a list of projects, or a folder of loose files.</summary>
internal enum TargetKind
{
    Solution,
    Projects,
    Folder,
}

/// <summary>The input of an audit, resolved.</summary>
internal sealed record Target(string Root, TargetKind Kind, string[] Paths);

/// <summary>Input the audit cannot use: reported as one line, exit code 2.</summary>
internal sealed class AuditInputException(string message) : Exception(message);
