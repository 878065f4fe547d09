using System.Text.Json;

namespace AgentGuard.PackageTests;

/// <summary>
/// The path a user takes to audit a repository: pack the tool, install it as a local tool from a local feed in a
/// folder outside the repository, and run `dotnet agentguard audit` on a project there.
/// </summary>
public sealed class AuditToolTests
{
    [Fact]
    public void PackedTool_InstalledLocally_AuditsAProjectAndWritesSarif()
    {
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "." + Environment.ProcessId;
        var workspace = RepositoryCopy.CreateTempDirectory("pack-cli");
        RepositoryCopy.CopyInto(workspace, "src", "Directory.Build.props", "Directory.Packages.props", "global.json", "README.md");
        var feed = Path.Combine(workspace, "feed");
        var (packExit, packOutput) = RepositoryCopy.Dotnet(
            workspace, "pack", Path.Combine("src", "AgentGuard.Cli", "AgentGuard.Cli.csproj"), "-c", "Release", "-o", feed, "-p:Version=" + version);
        Assert.True(packExit == 0, "The tool did not pack:\n" + packOutput);

        var user = RepositoryCopy.CreateTempDirectory("audit-user");
        Assert.Equal(0, RepositoryCopy.Dotnet(user, "new", "tool-manifest").ExitCode);
        var (installExit, installOutput) = RepositoryCopy.Dotnet(user, "tool", "install", "AgentGuard.Cli", "--version", version, "--add-source", feed);
        Assert.True(installExit == 0, "The tool did not install:\n" + installOutput);

        var project = Path.Combine(user, "Shop");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Shop.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Extensions.AI.Abstractions" Version="10.11.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Agent.cs"), """
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public Task<ChatResponse> AskAsync(string question) => client.GetResponseAsync(question);
            }
            """);

        var (auditExit, auditOutput) = RepositoryCopy.Dotnet(user, "agentguard", "audit", "Shop", "--sarif", "audit.sarif", "--fail-on", "warning");

        Assert.True(auditExit == 1, "Expected exit code 1 (a warning at --fail-on warning):\n" + auditOutput);
        Assert.Contains("loaded", auditOutput, StringComparison.Ordinal);
        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(user, "audit.sarif")));
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        var result = Assert.Single(results);
        Assert.Equal("AG0002", result.GetProperty("ruleId").GetString());
        Assert.Equal("Agent.cs", result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }
}
