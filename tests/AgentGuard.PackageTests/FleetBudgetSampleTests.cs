namespace AgentGuard.PackageTests;

/// <summary>
/// samples/FleetBudget, run as a user would (`dotnet run`): two worker processes stop at one shared daily cap, and a
/// worker killed in the middle of a call gives its reservation back when its lease runs out.
/// </summary>
public sealed class FleetBudgetSampleTests
{
    [Fact]
    public void FleetBudget_Run_BothWorkersStopAtTheSharedCap_AndAKilledWorkersLeaseReturns()
    {
        var workspace = RepositoryCopy.CreateTempDirectory("fleet");
        RepositoryCopy.CopyInto(workspace, "src", "samples/FleetBudget", "Directory.Build.props", "Directory.Packages.props", "global.json");

        var (exit, output) = RepositoryCopy.Dotnet(workspace, "run", "--project", Path.Combine("samples", "FleetBudget", "FleetBudget.csproj"));

        Assert.True(exit == 0, output);
        Assert.Contains("worker-1: stopped after", output, StringComparison.Ordinal);
        Assert.Contains("worker-2: stopped after", output, StringComparison.Ordinal);
        var spent = output.Split('\n').Single(l => l.Contains("the fleet spent $", StringComparison.Ordinal));
        var usd = decimal.Parse(spent.Split('$')[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // Each worker's first call is reserved at its estimate, later ones at least at the last call's size ($0.028).
        Assert.InRange(usd, 0.40m, 0.50m + (2 * 0.028m));
        Assert.Contains("killed worker-3", output, StringComparison.Ordinal);
        Assert.Contains("the lease ran out and the amount came back", output, StringComparison.Ordinal);
    }
}
