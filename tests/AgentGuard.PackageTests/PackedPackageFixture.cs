namespace AgentGuard.PackageTests;

/// <summary>
/// Packs AgentGuard, AgentGuard.Agents, AgentGuard.Redis and AgentGuard.Testing once for the test class, from a copy of the repository, with a version no
/// cache has seen, into one local feed.
/// </summary>
public sealed class PackedPackageFixture
{
    public PackedPackageFixture()
    {
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
        var workspace = RepositoryCopy.CreateTempDirectory("pack");
        RepositoryCopy.CopyInto(workspace, "src", "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md");
        Feed = Path.Combine(workspace, "feed");
        var (exitCode, output) = RepositoryCopy.Dotnet(
            workspace,
            "pack", Path.Combine("src", "AgentGuard", "AgentGuard.csproj"),
            "-c", "Release",
            "-o", Feed,
            "-p:Version=" + Version);
        foreach (var extension in new[] { "AgentGuard.Agents", "AgentGuard.Redis", "AgentGuard.Testing" })
        {
            if (exitCode != 0)
            {
                break;
            }

            var packed = RepositoryCopy.Dotnet(
                workspace,
                "pack", Path.Combine("src", extension, extension + ".csproj"),
                "-c", "Release",
                "-o", Feed,
                "-p:Version=" + Version);
            exitCode = packed.ExitCode;
            output += packed.Output;
        }

        PackOutput = output;
        PackExitCode = exitCode;
        PackagePath = Path.Combine(Feed, "AgentGuard." + Version + ".nupkg");
        AgentsPackagePath = Path.Combine(Feed, "AgentGuard.Agents." + Version + ".nupkg");
        RedisPackagePath = Path.Combine(Feed, "AgentGuard.Redis." + Version + ".nupkg");
        TestingPackagePath = Path.Combine(Feed, "AgentGuard.Testing." + Version + ".nupkg");
    }

    /// <summary>The package for test projects (cassettes and cost baselines).</summary>
    public string TestingPackagePath { get; }

    /// <summary>The Redis budget-store package.</summary>
    public string RedisPackagePath { get; }

    /// <summary>The Agent Framework package.</summary>
    public string AgentsPackagePath { get; }

    public string Version { get; }

    public string Feed { get; }

    public string PackagePath { get; }

    public int PackExitCode { get; }

    public string PackOutput { get; }
}
