using System.Text.Json;

namespace AgentGuard.PackageTests;

/// <summary>
/// The path a user takes: `dotnet add package AgentGuard` in a fresh project, build, run. The project lives outside
/// the repository and gets AgentGuard only from the packed nupkg on a local feed.
/// </summary>
public sealed class FreshProjectTests : IClassFixture<PackedPackageFixture>
{
    private readonly PackedPackageFixture package;

    public FreshProjectTests(PackedPackageFixture package)
    {
        this.package = package;
    }

    [Fact]
    public void FreshProject_WithPackage_BuildsReportsDiagnosticsAndRunsGeneratedAgent()
    {
        Assert.True(package.PackExitCode == 0, package.PackOutput);
        var project = RepositoryCopy.CreateTempDirectory("consumer");
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        foreach (var file in Directory.GetFiles(template))
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file)
                .Replace("$AGENTGUARD_VERSION$", package.Version, StringComparison.Ordinal)
                .Replace("$AGENTGUARD_FEED$", package.Feed, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(project, name.Replace(".template", string.Empty, StringComparison.Ordinal)), text);
        }

        File.Move(Path.Combine(project, "Consumer.csproj"), Path.Combine(project, "Consumer.csproj"), overwrite: true);

        var (buildExit, buildOutput) = RepositoryCopy.Dotnet(project, "build", "-c", "Release");
        Assert.True(buildExit == 0, "The fresh project did not build:\n" + buildOutput);

        var results = ReadSarif(Path.Combine(project, "build.sarif"));
        Assert.Contains(results, r => r.RuleId == "AG1010" && r.File.EndsWith("WeatherAgent.cs", StringComparison.Ordinal));
        foreach (var expected in ExpectedInFlawedFile)
        {
            Assert.Contains(results, r => r.RuleId == expected && r.File.EndsWith("Flawed.cs", StringComparison.Ordinal));
        }

        Assert.Contains(results, r => r.RuleId == "AG0002" && r.File.EndsWith("AgentFlawed.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(results, r => r.RuleId == "AD0001");
        Assert.DoesNotContain(results, r => r.RuleId.StartsWith("AG", StringComparison.Ordinal) && r.File.EndsWith("Program.cs", StringComparison.Ordinal));

        var (runExit, runOutput) = RepositoryCopy.Dotnet(project, "run", "-c", "Release", "--no-build");
        Assert.True(runExit == 0, "The generated agent did not run:\n" + runOutput);
        Assert.Contains("STATUS=Completed", runOutput, StringComparison.Ordinal);
        Assert.Contains("STEPS=2", runOutput, StringComparison.Ordinal);
        Assert.Contains("TOOLCALLS=2", runOutput, StringComparison.Ordinal);
        Assert.Contains("CACHEHITS=1", runOutput, StringComparison.Ordinal);
        Assert.Contains("LOOKUPS=1", runOutput, StringComparison.Ordinal);

        // gpt-4o-mini: 1000 in × $0.15/M + 50 out × $0.60/M, then 200 in + 1000 cached × $0.075/M + 20 out.
        Assert.Contains("COST=0.000297", runOutput, StringComparison.Ordinal);
        Assert.Contains("ANSWER=Cloudy, 14 degrees.", runOutput, StringComparison.Ordinal);

        // AgentGuard.Agents, installed from the feed: the generated agent as an AIAgent, and a guarded ChatClientAgent
        // that wraps up at its step limit.
        Assert.Contains("FRAMEWORK_STATUS=Completed", runOutput, StringComparison.Ordinal);
        Assert.Contains("FRAMEWORK_ANSWER=Cloudy, 14 degrees.", runOutput, StringComparison.Ordinal);
        Assert.Contains("WRAPUP_STATUS=StepLimitReached", runOutput, StringComparison.Ordinal);
        Assert.Contains("WRAPUP_STEPS=3", runOutput, StringComparison.Ordinal);
        Assert.Contains("WRAPUP_ANSWER=Probably dry, from the forecasts so far.", runOutput, StringComparison.Ordinal);
    }

    /// <summary>The rules the flawed file must trigger through the installed package.</summary>
    public static readonly string[] ExpectedInFlawedFile = ["AG0001", "AG0002", "AG0005"];

    internal static List<(string RuleId, string File)> ReadSarif(string path)
    {
        Assert.True(File.Exists(path), "The build wrote no SARIF log at " + path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var list = new List<(string, string)>();
        foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                var file = string.Empty;
                if (result.TryGetProperty("locations", out var locations) && locations.GetArrayLength() > 0
                    && locations[0].TryGetProperty("physicalLocation", out var physical)
                    && physical.TryGetProperty("artifactLocation", out var artifact)
                    && artifact.TryGetProperty("uri", out var uri))
                {
                    file = uri.GetString() ?? string.Empty;
                }

                list.Add((result.GetProperty("ruleId").GetString() ?? string.Empty, file));
            }
        }

        return list;
    }
}
