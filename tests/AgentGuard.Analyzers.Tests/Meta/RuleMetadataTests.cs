using System.Reflection;
using System.Text;
using AgentGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Tests.Meta;

/// <summary>Keeps descriptors, rule docs, release tracking and the README's rule table in step.</summary>
public sealed class RuleMetadataTests
{
    public static TheoryData<string> DescriptorNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in DescriptorFields())
        {
            data.Add(field.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DescriptorNames))]
    public void Descriptor_HelpLink_PointsAtExistingRuleDoc(string fieldName)
    {
        var descriptor = Descriptor(fieldName);

        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + descriptor.Id + ".md", descriptor.HelpLinkUri);
        var doc = RepositoryFiles.PathOf("docs", "rules", descriptor.Id + ".md");
        Assert.True(File.Exists(doc), $"{descriptor.Id} has no doc page at docs/rules/{descriptor.Id}.md");
        var firstLine = File.ReadLines(doc).First();
        Assert.StartsWith("# " + descriptor.Id, firstLine, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DescriptorNames))]
    public void Descriptor_NameStartsWithId_AndHasDescriptionAndCategory(string fieldName)
    {
        var descriptor = Descriptor(fieldName);

        Assert.StartsWith(descriptor.Id + "_", fieldName, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
        Assert.StartsWith("AgentGuard.", descriptor.Category, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DescriptorNames))]
    public void Descriptor_IsListedInReleaseTracking(string fieldName)
    {
        var descriptor = Descriptor(fieldName);
        var release = File.ReadAllText(RepositoryFiles.PathOf("src", "AgentGuard.Analyzers", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(RepositoryFiles.PathOf("src", "AgentGuard.Analyzers", "AnalyzerReleases.Shipped.md"));

        Assert.Contains("\n" + descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity + " |", release, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDiagnosticId_HasADescriptor_AndIsReportedByAnAnalyzer()
    {
        var ids = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        var described = DescriptorFields().Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id).ToHashSet();
        var supported = AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();

        Assert.Equal(ids.Order(), described.Order());
        Assert.Empty(ids.Except(supported));
    }

    [Fact]
    public void EveryCodeFix_IsForARuleThatAnAnalyzerReports()
    {
        var supported = AllAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        foreach (var fix in AllCodeFixes())
        {
            Assert.NotEmpty(fix.FixableDiagnosticIds);
            Assert.All(fix.FixableDiagnosticIds, id => Assert.Contains(id, supported));
        }
    }

    [Fact]
    public void ReadmeRuleTable_IsGeneratedFromDescriptors()
    {
        const string Start = "<!-- rules:start -->";
        const string End = "<!-- rules:end -->";
        var readmePath = RepositoryFiles.PathOf("README.md");
        var readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");
        var startIndex = readme.IndexOf(Start, StringComparison.Ordinal);
        var endIndex = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(startIndex >= 0 && endIndex > startIndex, "README.md has no rules:start / rules:end markers");

        var expected = RuleTable();
        var actual = readme.Substring(startIndex + Start.Length, endIndex - startIndex - Start.Length);
        if (actual != expected && Environment.GetEnvironmentVariable("AGENTGUARD_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(readmePath, readme[..(startIndex + Start.Length)] + expected + readme[endIndex..]);
            return;
        }

        Assert.True(
            actual == expected,
            "README.md's rule table is out of date. Run the tests with AGENTGUARD_UPDATE_DOCS=1 to regenerate it.\nExpected:\n" + expected);
    }

    internal static string RuleTable()
    {
        var fixable = AllCodeFixes().SelectMany(f => f.FixableDiagnosticIds).ToHashSet();
        var builder = new StringBuilder();
        builder.Append("\n| Rule | Title | Severity | Code fix |\n|---|---|---|---|\n");
        foreach (var descriptor in DescriptorFields()
                     .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
                     .GroupBy(d => d.Id)
                     .Select(g => g.First())
                     .OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            builder.Append("| [").Append(descriptor.Id).Append("](docs/rules/").Append(descriptor.Id).Append(".md) | ")
                .Append(descriptor.Title).Append(" | ")
                .Append(descriptor.DefaultSeverity).Append(" | ")
                .Append(fixable.Contains(descriptor.Id) ? "yes" : "no").Append(" |\n");
        }

        return builder.ToString();
    }

    private static DiagnosticDescriptor Descriptor(string fieldName)
        => (DiagnosticDescriptor)typeof(DiagnosticDescriptors).GetField(fieldName)!.GetValue(null)!;

    private static IEnumerable<FieldInfo> DescriptorFields()
        => typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor));

    internal static IReadOnlyList<DiagnosticAnalyzer> AllAnalyzers()
        => typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToList();

    internal static IReadOnlyList<CodeFixProvider> AllCodeFixes()
        => typeof(AgentGuard.CodeFixes.CodeFixAssemblyMarker).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToList();
}
