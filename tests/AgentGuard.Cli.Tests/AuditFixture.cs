using AgentGuard.Cli.Audit;

namespace AgentGuard.Cli.Tests;

/// <summary>Temporary folders with known agent code, and the audit run in-process on them.</summary>
internal static class AuditFixture
{
    /// <summary>A model call with no output cap (AG0002) at line 9, inside a loop that only the model ends (AG0001) at line 7.</summary>
    public const string FlawedAgent = """
        using Microsoft.Extensions.AI;

        public sealed class Agent(IChatClient client)
        {
            public async Task<string> AskAsync(List<ChatMessage> messages)
            {
                while (true)
                {
                    var response = await client.GetResponseAsync(messages);
                    if (response.Text.Contains("DONE")) return response.Text;
                    messages.Add(new ChatMessage(ChatRole.User, "go on"));
                }
            }
        }
        """;

    /// <summary>A generated agent with a $0.25 hard limit.</summary>
    public const string BudgetedAgent = """
        using AgentGuard;

        [Budget(MaxSteps = 4, MaxOutputTokensPerStep = 200, HardLimitUsd = 0.25)]
        public partial class Desk
        {
            [AgentTool("Adds.")]
            public int Add(int a, int b) => a + b;
        }
        """;

    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentguard-audit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>An SDK project referencing Microsoft.Extensions.AI.Abstractions (restored by the audit).</summary>
    public static string Project(string folder, string name, params (string File, string Text)[] files)
    {
        var projectFolder = Path.Combine(folder, name);
        Directory.CreateDirectory(projectFolder);
        File.WriteAllText(Path.Combine(projectFolder, name + ".csproj"), """
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
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(projectFolder, file), text);
        }

        return Path.Combine(projectFolder, name + ".csproj");
    }

    public static async Task<(int ExitCode, string Output, string Errors)> AuditAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exitCode = await Program.RunAsync(args, output, errors);
        return (exitCode, output.ToString(), errors.ToString());
    }
}
