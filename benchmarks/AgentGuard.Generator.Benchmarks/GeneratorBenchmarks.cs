using System.Text;
using AgentGuard.Analyzers.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentGuard.Generator.Benchmarks;

/// <summary>
/// The generator over a project of 200 agents with 10 tools each: a first run, a re-run after an edit that touches
/// no agent (everything cached), and a re-run after one budget edit (one agent regenerated).
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int Agents = 200;
    private const int ToolsPerAgent = 10;
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private CSharpCompilation compilation = null!;
    private CSharpCompilation unrelatedEdit = null!;
    private CSharpCompilation budgetEdit = null!;
    private GeneratorDriver warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var trees = new List<SyntaxTree>();
        for (var a = 0; a < Agents; a++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(AgentSource(a, maxSteps: 10), ParseOptions, path: $"Agent{a}.cs"));
        }

        trees.Add(CSharpSyntaxTree.ParseText("namespace Shop; public static class Helpers { public static int Twice(int x) => x * 2; }", ParseOptions, path: "Helpers.cs"));
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = trusted.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(AgentGuard.BudgetAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "Microsoft.Extensions.AI.Abstractions.dll")));
        compilation = CSharpCompilation.Create("Agents", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var helpers = compilation.SyntaxTrees.Last();
        unrelatedEdit = compilation.ReplaceSyntaxTree(helpers, CSharpSyntaxTree.ParseText("namespace Shop; public static class Helpers { public static int Twice(int x) => x + x; }", ParseOptions, path: "Helpers.cs"));
        budgetEdit = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.First(), CSharpSyntaxTree.ParseText(AgentSource(0, maxSteps: 12), ParseOptions, path: "Agent0.cs"));
        warmDriver = NewDriver().RunGenerators(compilation);
        if (warmDriver.GetRunResult().GeneratedTrees.Length != Agents)
        {
            throw new InvalidOperationException("The corpus did not generate one file per agent.");
        }
    }

    [Benchmark(Baseline = true, Description = "First run, 200 agents × 10 tools")]
    public GeneratorDriver FirstRun() => NewDriver().RunGenerators(compilation);

    [Benchmark(Description = "Re-run after an unrelated edit")]
    public GeneratorDriver UnrelatedEdit() => warmDriver.RunGenerators(unrelatedEdit);

    [Benchmark(Description = "Re-run after one budget edit")]
    public GeneratorDriver BudgetEdit() => warmDriver.RunGenerators(budgetEdit);

    private static GeneratorDriver NewDriver()
        => CSharpGeneratorDriver.Create(new[] { new AgentGenerator().AsSourceGenerator() }, parseOptions: ParseOptions);

    private static string AgentSource(int agent, int maxSteps)
    {
        var source = new StringBuilder();
        source.Append("using System.Threading; using System.Threading.Tasks; using AgentGuard; namespace Shop;\n");
        source.Append("public sealed record Line").Append(agent).Append("(string Sku, int Quantity, decimal Price);\n");
        source.Append("[Budget(MaxSteps = ").Append(maxSteps).Append(", MaxOutputTokensPerStep = 500, HardLimitUsd = 0.5, SoftLimitUsd = 0.25, FallbackModelId = \"gpt-4o-mini\")]\n");
        source.Append("public partial class Agent").Append(agent).Append("\n{\n");
        for (var t = 0; t < ToolsPerAgent; t++)
        {
            if (t % 3 == 0)
            {
                source.Append("    [AgentTool(\"Looks up item ").Append(t).Append(".\", Cacheable = true)] public Task<string> Lookup").Append(t).Append("Async(string id, int? version, CancellationToken ct) => Task.FromResult(id);\n");
            }
            else if (t % 3 == 1)
            {
                source.Append("    [AgentTool(\"Prices lines.\")] public decimal Price").Append(t).Append("(Line").Append(agent).Append("[] lines, bool express = false) => 0m;\n");
            }
            else
            {
                source.Append("    [AgentTool] public string Note").Append(t).Append("(string text, System.DateTimeOffset when, System.Guid id) => text;\n");
            }
        }

        source.Append("}\n");
        return source.ToString();
    }
}
