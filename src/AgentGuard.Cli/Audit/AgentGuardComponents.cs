using System.Collections.Immutable;
using System.Reflection;
using AgentGuard.Analyzers;
using AgentGuard.Analyzers.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Cli.Audit;

/// <summary>AgentGuard's analyzers, generator and code fixes, as the package ships them, found once per process.</summary>
internal static class AgentGuardComponents
{
    /// <summary>Every analyzer of the analyzer assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>Every code fix of the code-fix assembly.</summary>
    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } =
        typeof(AgentGuard.CodeFixes.AgentGuardCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>The agent generator.</summary>
    public static ISourceGenerator Generator { get; } = new AgentGenerator().AsSourceGenerator();

    /// <summary>Every rule, by ID (the first descriptor of each ID).</summary>
    public static IReadOnlyDictionary<string, DiagnosticDescriptor> Rules { get; } = Analyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .GroupBy(d => d.Id, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The version of the analyzers.</summary>
    public static string Version { get; } = typeof(DiagnosticIds).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
