using System.Text.Json;
using AgentGuard.Cli.Audit;
using static AgentGuard.Cli.Tests.AuditFixture;

namespace AgentGuard.Cli.Tests;

public sealed class AuditCommandTests
{
    [Fact]
    public async Task Audit_RestorableProject_LoadsWithMsBuildAndReportsWithLocations()
    {
        var folder = NewFolder();
        var project = Project(folder, "Shop", ("Agent.cs", FlawedAgent));
        var sarif = Path.Combine(folder, "audit.sarif");
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, output, errors) = await AuditAsync("audit", project, "--sarif", sarif, "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var loaded = report.GetProperty("projects")[0];
        Assert.Equal("loaded", loaded.GetProperty("mode").GetString());
        Assert.Equal(0, loaded.GetProperty("compilerErrors").GetInt32());
        var findings = report.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString(), f.GetProperty("line").GetInt32())).ToList();
        Assert.Contains(("AG0002", 9), findings);
        Assert.Contains(("AG0001", 7), findings);

        var log = File.ReadAllText(sarif);
        Assert.Empty(SarifValidator.Problems(log));
        Assert.Contains("\"uri\": \"Agent.cs\"", log, StringComparison.Ordinal); // relative to the audited project's folder
        Assert.Contains("AG0002", output, StringComparison.Ordinal);

        // Each analyzer's time, from the analysis that produced the findings: the analyzers that reported ran.
        var seconds = loaded.GetProperty("analyzerSeconds");
        Assert.True(seconds.GetProperty("UnboundedAgentLoopAnalyzer").GetDouble() > 0, seconds.ToString());
        Assert.True(seconds.GetProperty("MissingOutputTokenCapAnalyzer").GetDouble() > 0, seconds.ToString());
    }

    [Fact]
    public async Task Audit_FolderOfLooseFiles_CompilesAdHocAndStatesWorstCase()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);
        File.WriteAllText(Path.Combine(folder, "Desk.cs"), BudgetedAgent);
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, output, errors) = await AuditAsync("audit", folder, "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("ad-hoc", report.GetProperty("projects")[0].GetProperty("mode").GetString());
        Assert.Equal(1, report.GetProperty("ruleCounts").GetProperty("AG0002").GetInt32());
        var agent = report.GetProperty("agents")[0];
        Assert.Equal("Desk", agent.GetProperty("agent").GetString());
        Assert.Equal("$0.25", agent.GetProperty("worstCase").GetString());
        Assert.Contains("Desk", output, StringComparison.Ordinal);
        Assert.Contains("$0.25", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_ProjectThatDoesNotLoad_FallsBackToAdHocAndSaysWhy()
    {
        var folder = NewFolder();
        var project = Project(folder, "Broken", ("Agent.cs", FlawedAgent));
        File.WriteAllText(project, "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>");
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", project, "--json", json);

        Assert.Equal(AuditCommand.Success, exitCode);
        var loaded = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("projects")[0];
        Assert.Equal("ad-hoc", loaded.GetProperty("mode").GetString());
        Assert.False(string.IsNullOrEmpty(loaded.GetProperty("loadProblem").GetString()));
        Assert.Contains("Broken", errors, StringComparison.Ordinal);
        Assert.Equal(1, JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("ruleCounts").GetProperty("AG0002").GetInt32());
    }

    [Fact]
    public async Task Audit_NeverRestoredProjectWithNoRestore_IsCompiledAdHocNotSkipped()
    {
        var folder = NewFolder();
        var project = Project(folder, "Fresh", ("Agent.cs", FlawedAgent));
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", project, "--no-restore", "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var entry = report.GetProperty("projects")[0];
        Assert.Equal("ad-hoc", entry.GetProperty("mode").GetString());
        Assert.Contains("--no-restore", entry.GetProperty("loadProblem").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, report.GetProperty("ruleCounts").GetProperty("AG0002").GetInt32());
        Assert.False(File.Exists(Path.Combine(folder, "Fresh", "obj", "project.assets.json")));
    }

    [Fact]
    public async Task Audit_FileInTwoProjects_IsReportedOnce()
    {
        var folder = NewFolder();
        var first = Project(folder, "First", ("Agent.cs", FlawedAgent));
        var second = Project(folder, "Second");
        File.WriteAllText(second, File.ReadAllText(second).Replace("</Project>", "<ItemGroup><Compile Include=\"../First/Agent.cs\" Link=\"Agent.cs\" /></ItemGroup></Project>", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(folder, "All.sln"), $$"""
            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "First", "First\First.csproj", "{11111111-1111-1111-1111-111111111111}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Second", "Second\Second.csproj", "{22222222-2222-2222-2222-222222222222}"
            EndProject
            """);
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", Path.Combine(folder, "All.sln"), "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(2, report.GetProperty("projects").GetArrayLength());
        Assert.Equal(1, report.GetProperty("ruleCounts").GetProperty("AG0002").GetInt32());
        Assert.Single(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("ruleId").GetString() == "AG0002");
    }

    [Fact]
    public async Task Audit_SolutionWithAMissingProject_AuditsTheRest()
    {
        var folder = NewFolder();
        Project(folder, "Good", ("Agent.cs", FlawedAgent));
        File.WriteAllText(Path.Combine(folder, "All.sln"), """
            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Good", "Good\Good.csproj", "{11111111-1111-1111-1111-111111111111}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Gone", "Gone\Gone.csproj", "{22222222-2222-2222-2222-222222222222}"
            EndProject
            """);
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", folder, "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var projects = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(["Good", "Gone"], projects.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("loaded", projects[0].GetProperty("mode").GetString());
        Assert.Equal("ad-hoc", projects[1].GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Audit_Fix_AppliesFixesAndASecondAuditFindsNothingToFix()
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "Agent.cs");
        File.WriteAllText(file, FlawedAgent);

        var (exitCode, output, errors) = await AuditAsync("audit", folder, "--fix", "--rules", "AG0002");

        Assert.True(exitCode == AuditCommand.Success, errors);
        Assert.Contains("MaxOutputTokens", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Contains("Agent.cs  (AG0002)", output, StringComparison.Ordinal);
        var (again, _, _) = await AuditAsync("audit", folder, "--rules", "AG0002", "--fail-on", "warning");
        Assert.Equal(AuditCommand.Success, again);
    }

    [Fact]
    public async Task Audit_Rules_LimitsTheFindings()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);
        var json = Path.Combine(folder, "audit.json");

        await AuditAsync("audit", folder, "--rules", "AG0001", "--json", json);

        var counts = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("ruleCounts");
        Assert.Equal(["AG0001"], counts.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("warning", AuditCommand.FindingsFound)]
    [InlineData("error", AuditCommand.Success)]
    [InlineData("none", AuditCommand.Success)]
    public async Task Audit_FailOn_SetsTheExitCode(string level, int expected)
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);

        var (exitCode, _, _) = await AuditAsync("audit", folder, "--fail-on", level);

        Assert.Equal(expected, exitCode);
    }

    [Fact]
    public async Task Audit_PathThatDoesNotExist_IsOneLineAndExitCode2()
    {
        var (exitCode, output, errors) = await AuditAsync("audit", Path.Combine(NewFolder(), "nowhere"));

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Contains("does not exist", errors, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Fact]
    public async Task Audit_FolderWithNoCSharp_IsOneLineAndExitCode2()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "nothing here");

        var (exitCode, _, errors) = await AuditAsync("audit", folder);

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Contains("no C# project and no .cs file", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_UnknownRule_IsBadInput()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);

        var (exitCode, _, errors) = await AuditAsync("audit", folder, "--rules", "AG9999");

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Contains("AG9999", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void SarifValidator_BrokenLog_ReportsEachProblem()
    {
        var problems = SarifValidator.Problems("""
            { "version": "2.0.0", "runs": [ { "tool": { "driver": { "name": "x", "rules": [ { "id": "A" } ] } },
              "results": [ { "ruleId": "B", "ruleIndex": 0, "level": "fatal",
                "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "a.cs", "uriBaseId": "ROOT" }, "region": { "startLine": 0 } } } ] } ] } ] }
            """);

        Assert.Contains(problems, p => p.Contains("version", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("message", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ruleIndex", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("SARIF level", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ROOT", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("startLine", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--fail-on", "warnings")]
    [InlineData("--no-such-option")]
    public async Task Audit_CommandLineThatDoesNotParse_IsBadInputNotFindings(params string[] extra)
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);

        var (exitCode, _, errors) = await AuditAsync(["audit", folder, .. extra]);

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-such-folder/audit.sarif")]
    public async Task Audit_ReportPathThatCannotBeWritten_IsBadInputBeforeAnythingRuns(string sarif)
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "Agent.cs");
        File.WriteAllText(file, FlawedAgent);

        var (exitCode, _, errors) = await AuditAsync("audit", folder, "--fix", "--sarif", sarif.Length == 0 ? sarif : Path.Combine(folder, sarif));

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Contains("--sarif", errors, StringComparison.Ordinal);
        Assert.Equal(FlawedAgent, File.ReadAllText(file));
    }

    [Fact]
    public async Task Audit_RulesBeforeThePath_KeepsThePath()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Agent.cs"), FlawedAgent);
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", "--rules", "AG0002", folder, "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        Assert.Equal(["AG0002"], JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("ruleCounts").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Audit_SolutionWithNoCSharpProject_IsBadInput()
    {
        var folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, "Empty.sln"), "Microsoft Visual Studio Solution File, Format Version 12.00\n");

        var (exitCode, _, errors) = await AuditAsync("audit", Path.Combine(folder, "Empty.sln"));

        Assert.Equal(AuditCommand.BadInput, exitCode);
        Assert.Contains("no C# project", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_SlnxSolution_FindsItsProjects()
    {
        var folder = NewFolder();
        Project(folder, "Good", ("Agent.cs", FlawedAgent));
        File.WriteAllText(Path.Combine(folder, "All.slnx"), """
            <Solution>
              <Folder Name="/src/">
                <Project
                    Path="Good/Good.csproj" />
              </Folder>
            </Solution>
            """);
        var json = Path.Combine(folder, "audit.json");

        var (exitCode, _, errors) = await AuditAsync("audit", Path.Combine(folder, "All.slnx"), "--json", json);

        Assert.True(exitCode == AuditCommand.Success, errors);
        var project = Assert.Single(JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("projects").EnumerateArray());
        Assert.Equal("Good", project.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Audit_Fix_KeepsTheFilesEncoding()
    {
        var folder = NewFolder();
        var file = Path.Combine(folder, "Agent.cs");
        File.WriteAllText(file, FlawedAgent, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var (exitCode, _, errors) = await AuditAsync("audit", folder, "--fix", "--rules", "AG0002");

        Assert.True(exitCode == AuditCommand.Success, errors);
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes.Take(3));
        Assert.Contains("MaxOutputTokens", File.ReadAllText(file), StringComparison.Ordinal);
    }
}
