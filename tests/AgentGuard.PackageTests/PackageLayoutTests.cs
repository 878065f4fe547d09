using System.IO.Compression;
using System.Xml.Linq;

namespace AgentGuard.PackageTests;

/// <summary>The nupkg holds what `dotnet add package AgentGuard` must give a user, and nothing a user must not get.</summary>
public sealed class PackageLayoutTests : IClassFixture<PackedPackageFixture>
{
    private readonly PackedPackageFixture package;

    public PackageLayoutTests(PackedPackageFixture package)
    {
        this.package = package;
    }

    [Fact]
    public void Pack_ProducesTheCorePackageAndItsExtensions()
    {
        Assert.True(package.PackExitCode == 0, package.PackOutput);
        Assert.True(File.Exists(package.PackagePath), "Missing " + package.PackagePath + "\n" + package.PackOutput);
        Assert.True(File.Exists(package.AgentsPackagePath), "Missing " + package.AgentsPackagePath + "\n" + package.PackOutput);
        Assert.True(File.Exists(package.RedisPackagePath), "Missing " + package.RedisPackagePath + "\n" + package.PackOutput);
        Assert.True(File.Exists(package.TestingPackagePath), "Missing " + package.TestingPackagePath + "\n" + package.PackOutput);
        Assert.Equal(4, Directory.GetFiles(package.Feed, "*.nupkg").Length);
    }

    [Theory]
    [InlineData("AgentGuard.Agents", "Microsoft.Agents.AI")]
    [InlineData("AgentGuard.Redis", "StackExchange.Redis")]
    [InlineData("AgentGuard.Testing", "Microsoft.Extensions.AI")]
    public void ExtensionPackage_DependsOnTheSameAgentGuardAndItsLibrary_AndCarriesNoAnalyzers(string id, string library)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(package.Feed, id + "." + package.Version + ".nupkg"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net8.0/" + id + ".dll", names);
        Assert.Contains("lib/netstandard2.0/" + id + ".xml", names);
        Assert.DoesNotContain(names, n => n.StartsWith("analyzers/", StringComparison.Ordinal));

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var dependencies = XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        Assert.Contains(dependencies, d => (string)d.Attribute("id")! == "AgentGuard" && ((string)d.Attribute("version")!).Contains(package.Version, StringComparison.Ordinal));
        Assert.Contains(dependencies, d => (string)d.Attribute("id")! == library);
    }

    [Theory]
    [InlineData("lib/netstandard2.0/AgentGuard.dll")]
    [InlineData("lib/netstandard2.0/AgentGuard.xml")]
    [InlineData("lib/net8.0/AgentGuard.dll")]
    [InlineData("analyzers/dotnet/cs/AgentGuard.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/AgentGuard.CodeFixes.dll")]
    [InlineData("README.md")]
    public void Package_Contains_RequiredFile(string entry)
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        Assert.Contains(entry, zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Package_Analyzers_AreNotRuntimeReferencesAndRoslynIsNotADependency()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("lib/", StringComparison.Ordinal) && n.Contains("Analyzers", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("analyzers/", StringComparison.Ordinal) && n.EndsWith("AgentGuard.dll", StringComparison.Ordinal));

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.Contains("Microsoft.Extensions.AI", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "developmentDependency" && (string)e == "true");
    }
}
