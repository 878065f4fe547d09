using System.CommandLine;
using AgentGuard.Cli.Audit;

namespace AgentGuard.Cli;

/// <summary><c>agentguard audit &lt;path&gt;</c>: AgentGuard's rules over a repository, without installing the package.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Parses and runs a command line. A command line that does not parse is bad input (exit code 2, one line), and
    /// nothing escapes as a stack trace: an unexpected failure is one line and exit code 3.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var result = Build(output, errors).Parse(args);
        if (result.Errors.Count > 0)
        {
            var message = string.Join(' ', result.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            errors.WriteLine("agentguard: " + message + " (see 'agentguard audit --help')");
            return AuditCommand.BadInput;
        }

        try
        {
            return await result.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = errors }).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            errors.WriteLine("agentguard: the audit failed: " + exception.GetType().Name + ": " + exception.Message);
            return AuditCommand.Failed;
        }
    }

    /// <summary>The command line, writing to <paramref name="output"/> and <paramref name="errors"/>.</summary>
    public static RootCommand Build(TextWriter output, TextWriter errors)
    {
        var path = new Argument<string>("path")
        {
            Description = "A solution (.sln, .slnx), a C# project (.csproj) or a folder. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ".",
        };
        var sarif = new Option<string?>("--sarif") { Description = "Write the findings as SARIF 2.1.0 to this file." };
        var json = new Option<string?>("--json") { Description = "Write the whole report as JSON to this file." };
        var failOn = new Option<FailLevel>("--fail-on")
        {
            Description = "Exit with 1 when a finding has this severity or higher: none, info, warning, error. Default: none.",
            DefaultValueFactory = _ => FailLevel.None,
        };
        var fix = new Option<bool>("--fix") { Description = "Apply AgentGuard's code fixes (Fix All per rule) and write the changed files." };
        // One value per use (comma-separated or repeated): a path after `--rules AG0002` stays the path.
        var rules = new Option<string[]>("--rules")
        {
            Description = "Only these rules, comma-separated (AG0002,AG0005) or repeated.",
        };
        var noRestore = new Option<bool>("--no-restore") { Description = "Do not run 'dotnet restore' on projects that were never restored." };

        var audit = new Command("audit", "Run AgentGuard's cost rules and agent generator over a solution, project or folder.")
        {
            path, sarif, json, failOn, fix, rules, noRestore,
        };
        audit.SetAction((result, cancellationToken) =>
        {
            var ruleList = result.GetValue(rules)?
                .SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(r => r.ToUpperInvariant())
                .ToHashSet(StringComparer.Ordinal);
            var request = new AuditRequest(
                result.GetValue(path) ?? ".",
                result.GetValue(sarif),
                result.GetValue(json),
                result.GetValue(failOn),
                result.GetValue(fix),
                ruleList is { Count: > 0 } ? ruleList : null,
                !result.GetValue(noRestore));
            return AuditCommand.RunAsync(request, output, errors, cancellationToken);
        });

        return new RootCommand("AgentGuard: find what makes AI-agent code expensive — unbounded loops, missing output caps, cache-busting prompts, unbounded history and retries.")
        {
            audit,
        };
    }
}
