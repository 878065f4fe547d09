namespace AgentGuard.PackageTests;

/// <summary>
/// Building samples/CostPitfalls shows every cost rule, each file showing exactly one diagnostic: the rule it is named
/// after.
/// </summary>
public sealed class CostPitfallsSampleTests
{
    [Fact]
    public void CostPitfalls_Build_ShowsEachCostRuleOnceInItsOwnFile()
    {
        var workspace = RepositoryCopy.CreateTempDirectory("pitfalls");
        RepositoryCopy.CopyInto(workspace, "src", "samples/CostPitfalls", "Directory.Build.props", "Directory.Packages.props", "global.json");
        var sarif = Path.Combine(workspace, "pitfalls.sarif");
        var (exit, output) = RepositoryCopy.Dotnet(workspace, "build", Path.Combine("samples", "CostPitfalls", "CostPitfalls.csproj"), "-p:ErrorLog=" + sarif + "%2Cversion=2.1");
        Assert.True(exit == 0, output);

        var results = FreshProjectTests.ReadSarif(sarif).Where(r => r.RuleId.StartsWith("AG00", StringComparison.Ordinal)).ToList();
        var files = Directory.GetFiles(Path.Combine(workspace, "samples", "CostPitfalls"), "AG00*.cs");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var id = name.Substring(0, "AG0000".Length);
            var hits = results.Where(r => r.File.EndsWith("/" + name, StringComparison.Ordinal)).ToList();
            Assert.True(hits.Count == 1 && hits[0].RuleId == id, $"{name} shows {string.Join(", ", hits.Select(h => h.RuleId))} instead of {id} once");
        }

        foreach (var id in new[] { "AG0001", "AG0002", "AG0003", "AG0004", "AG0005", "AG0006", "AG0007" })
        {
            Assert.Contains(results, r => r.RuleId == id);
        }

        // Nothing outside the named files.
        Assert.All(results, r => Assert.Contains("/AG00", r.File, StringComparison.Ordinal));
        Assert.DoesNotContain(FreshProjectTests.ReadSarif(sarif), r => r.RuleId == "AD0001");
    }
}
