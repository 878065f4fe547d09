namespace AgentGuard.PackageTests;

/// <summary>Packs AgentGuard once for the test class, from a copy of the repository, with a version no cache has seen.</summary>
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
        PackOutput = output;
        PackExitCode = exitCode;
        PackagePath = Path.Combine(Feed, "AgentGuard." + Version + ".nupkg");
    }

    public string Version { get; }

    public string Feed { get; }

    public string PackagePath { get; }

    public int PackExitCode { get; }

    public string PackOutput { get; }
}
