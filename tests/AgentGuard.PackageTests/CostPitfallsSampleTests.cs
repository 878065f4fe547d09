namespace AgentGuard.PackageTests;

/// <summary>Building samples/CostPitfalls shows each cost rule exactly once, in the file named after it.</summary>
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
        foreach (var id in new[] { "AG0001", "AG0002", "AG0003", "AG0004", "AG0005", "AG0006", "AG0007" })
        {
            var hits = results.Where(r => r.RuleId == id).ToList();
            Assert.True(hits.Count == 1, $"{id} reported {hits.Count} times in CostPitfalls: {string.Join(", ", hits.Select(h => h.File))}");
            Assert.Contains("/" + id + "_", hits[0].File, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(FreshProjectTests.ReadSarif(sarif), r => r.RuleId == "AD0001");
    }
}
