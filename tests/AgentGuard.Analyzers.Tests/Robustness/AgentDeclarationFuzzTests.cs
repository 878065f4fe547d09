using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Text;
using AgentGuard.Analyzers.Generator;
using AgentGuard.Analyzers.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Tests.Robustness;

/// <summary>
/// Valid agent declarations of every shape a user can write, generated from a fixed seed: budgets with huge, negative,
/// infinite and NaN values; verbatim and non-ASCII names; agents nested in classes, structs, records and interfaces;
/// tools with every primitive parameter type, defaults at the edges of their types, ref-struct and by-ref returns;
/// members whose names the generator also uses. For each, no analyzer or generator may throw, and the generated code
/// must add no error or warning to the compilation — or the declaration analyzer must report an error and the generator
/// emit nothing for that agent.
/// </summary>
public sealed class AgentDeclarationFuzzTests
{
    private const int Variants = 5_000;
    private const int VariantsPerCompilation = 50;

    [Fact]
    public async Task GeneratorAndAnalyzers_OnFuzzedAgents_NeverThrowAndGenerateOnlyCompilingCode()
    {
        var analyzers = typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var random = new Random(20261206);
        var batches = new List<(int First, List<string> Sources)>();
        for (var start = 0; start < Variants; start += VariantsPerCompilation)
        {
            var sources = new List<string>();
            for (var i = start; i < start + VariantsPerCompilation; i++)
            {
                sources.Add(new AgentVariant(random, i).Source);
            }

            batches.Add((start, sources));
        }

        // The variants are fixed by the seed above; the compilations are independent, so they are checked in parallel.
        var failures = new List<string>();
        var generated = 0;
        await Parallel.ForEachAsync(batches, async (batch, _) =>
        {
            var batchFailures = new List<string>();
            var count = await CheckAsync(batch.Sources, batch.First, analyzers, batchFailures);
            Interlocked.Add(ref generated, count);
            lock (failures)
            {
                failures.AddRange(batchFailures.Take(5));
            }
        });

        Assert.True(failures.Count == 0, string.Join("\n\n==========\n\n", failures.Take(20)));

        // Most variants are agents the generator must build, not declarations it rightly refuses.
        Assert.True(generated > Variants / 3, $"Only {generated} of {Variants} variants got generated code.");
    }

    [Fact]
    public async Task Harness_GeneratedCodeThatDoesNotCompile_IsCaught()
    {
        var failures = new List<string>();
        await CheckAsync(["namespace V0; public class Plain { }"], 0, [], failures, new BrokenGenerator());

        Assert.NotEmpty(failures);
    }

    /// <summary>Proves the harness would notice generated code that does not compile.</summary>
    private sealed class BrokenGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
            => context.RegisterPostInitializationOutput(output => output.AddSource("Broken.g.cs", "partial class Broken { int }"));
    }

    // Returns how many files the generator added.
    private static async Task<int> CheckAsync(List<string> sources, int first, ImmutableArray<DiagnosticAnalyzer> analyzers, List<string> failures, IIncrementalGenerator? generator = null)
    {
        var input = GeneratorHarness.Compile(sources.ToArray());
        var driver = (generator is null
                ? GeneratorHarness.CreateDriver()
                : CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions))
            .RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        foreach (var result in run.Results)
        {
            if (result.Exception is { } exception)
            {
                failures.Add("The generator threw " + exception + "\n" + Describe(sources, first, null));
            }
        }

        foreach (var diagnostic in generatorDiagnostics)
        {
            failures.Add("Generator diagnostic " + diagnostic + "\n" + Describe(sources, first, null));
        }

        var generatedTrees = output.SyntaxTrees.Skip(input.SyntaxTrees.Length).ToList();

        // One pass gives the compiler's diagnostics and the analyzers': binding the code twice would double the cost.
        var thrown = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => thrown.Add(analyzer.GetType().Name + " threw " + exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var all = analyzers.IsEmpty
            ? output.GetDiagnostics()
            : await output.WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync();

        // Errors the user's own code has without generated code are not the generator's; computed only when needed.
        HashSet<string>? baseline = null;
        var reported = new List<Diagnostic>();
        foreach (var diagnostic in all)
        {
            if (diagnostic.Id.StartsWith("AG", StringComparison.Ordinal))
            {
                reported.Add(diagnostic);
                continue;
            }

            var inGenerated = diagnostic.Location.SourceTree is { } tree && generatedTrees.Contains(tree);
            var isNewError = diagnostic.Severity == DiagnosticSeverity.Error
                && (inGenerated || !(baseline ??= new HashSet<string>(input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Key))).Contains(Key(diagnostic)));
            var isGeneratedWarning = inGenerated && diagnostic.Severity == DiagnosticSeverity.Warning;
            if (isNewError || isGeneratedWarning || diagnostic.Id == "AD0001")
            {
                failures.Add("Generated code adds " + diagnostic + "\n" + Describe(sources, first, diagnostic));
            }
        }

        if (analyzers.IsEmpty)
        {
            return generatedTrees.Count;
        }

        foreach (var message in thrown)
        {
            failures.Add(message + "\n" + Describe(sources, first, null));
        }

        // Every [Budget] class gets generated code or an error that says why not.
        for (var i = 0; i < sources.Count; i++)
        {
            var tree = input.SyntaxTrees[i];
            var model = input.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol type
                    || !type.GetAttributes().Any(a => a.AttributeClass?.Name == "BudgetAttribute"))
                {
                    continue;
                }

                var generated = output.GetTypeByMetadataName(MetadataName(type)) is { } after
                    && after.GetMembers("AgentBudget").Any(m => !m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == tree));
                var explained = reported.Any(d => d.Severity == DiagnosticSeverity.Error
                    && d.Id.StartsWith("AG1", StringComparison.Ordinal)
                    && d.Location.SourceTree == tree
                    && declaration.Span.Contains(d.Location.SourceSpan.Start));
                if (!generated && !explained)
                {
                    failures.Add("No code and no error for agent " + type.ToDisplayString() + "\n" + sources[i]);
                }
            }
        }

        return generatedTrees.Count;
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.None)) + "." + name : name;
    }

    private static string Key(Diagnostic diagnostic)
        => diagnostic.Id + "@" + diagnostic.Location.SourceTree?.FilePath + ":" + diagnostic.Location.SourceSpan;

    private static string Describe(List<string> sources, int first, Diagnostic? diagnostic)
    {
        var builder = new StringBuilder();
        if (diagnostic?.Location.SourceTree is { } tree)
        {
            var text = tree.GetText().ToString();
            var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
            var lines = text.Split('\n');
            builder.AppendLine("--- " + tree.FilePath + " around line " + (line + 1) + " ---");
            for (var l = Math.Max(0, line - 3); l < Math.Min(lines.Length, line + 3); l++)
            {
                builder.AppendLine(lines[l].TrimEnd('\r'));
            }

            // The variant: its index is in the namespace or type name.
            foreach (var (source, index) in sources.Select((s, i) => (s, i)))
            {
                var tag = "V" + (first + index).ToString(CultureInfo.InvariantCulture);
                if (tree.FilePath.Contains(tag + ".", StringComparison.Ordinal) || tree.FilePath.Contains(tag + "_", StringComparison.Ordinal) || tree.FilePath == "Source" + index + ".cs")
                {
                    builder.AppendLine("--- variant ---").AppendLine(source);
                    return builder.ToString();
                }
            }
        }

        return builder.ToString();
    }

    /// <summary>One randomly shaped, valid agent declaration.</summary>
    private sealed class AgentVariant
    {
        // Valid values mostly, so most variants reach the generator; out-of-range ones now and then (AG1012).
        private static readonly string[] IntValues = ["0", "1", "8", "int.MaxValue", "1_000_000_000"];
        private static readonly string[] BadIntValues = ["-1", "int.MinValue"];
        private static readonly string[] UsdValues = ["0", "0.02", "0.05", "1", "double.Epsilon", "1e12"];
        private static readonly string[] BadUsdValues = ["-1", "1e30", "1e300", "double.MaxValue", "double.PositiveInfinity", "double.NegativeInfinity", "double.NaN", "7.9228162514264337593543950335E+28"];
        private static readonly string[] Fallbacks = ["\"gpt-4o-mini\"", "\"\"", "null", "\"quote\\\"and\\\\slash\\n\"", "\"o3-pro\""];
        private static readonly string[] Texts = ["Looks up an order.", "", "Says \"hi\" \\ and\nbreaks lines", "</summary><c>*/ // &amp;", "日本語の説明", "{0} {1}"];
        private static readonly string[] ToolNames = ["get-order", "1st", "get order", "RunAsync", "a.b", "日本", "Get_Order", "get_order", "GET_ORDER", "   ", "AgentBudget", "tool"];
        private static readonly string[] ParameterNames = ["value", "@class", "@event", "arguments", "cache", "cancellationToken", "error", "result", "token", "cached", "x", "X", "item"];
        private static readonly string[] ReservedMembers =
        [
            "public int AgentBudget => 1;",
            "private int agentTools;",
            "public const string AgentWorstCaseCost = \"\";",
            "public class {0}Ledger { }",
            "public class {0}ToolCounters { }",
            "public void RunAsync() { }",
            "public string AgentTools = \"\";",
            "private int InvokeAgentToolAsync;",
            "private object? AgentToolFunctions;",
            "public int ReadToolValue0;",
            "public int ToolToolSchema;",
            "public void InvokeToolToolAsync() { }",
        ];

        // Parameter types, each with defaults valid for it ("" = no default).
        private static readonly (string Type, string[] Defaults)[] ParameterTypes =
        [
            ("string", ["", "\"a\\\"b\"", "\"\"", "null"]),
            ("string?", ["", "null", "\"x\""]),
            ("bool", ["", "true"]),
            ("int", ["", "int.MinValue", "-1"]),
            ("long", ["", "long.MinValue"]),
            ("short", ["", "-5"]),
            ("byte", ["", "255"]),
            ("sbyte", ["", "-128"]),
            ("ushort", ["", "65535"]),
            ("uint", ["", "4000000000"]),
            ("ulong", ["", "ulong.MaxValue"]),
            ("char", ["", "'x'", "'\\''", "'\\0'", "'\\uffff'"]),
            ("float", ["", "1.5f", "float.NaN", "float.PositiveInfinity", "float.NegativeInfinity", "float.MaxValue"]),
            ("double", ["", "1.5", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "double.MaxValue", "double.Epsilon", "-0.0"]),
            ("decimal", ["", "1.5m", "decimal.MaxValue", "-1m"]),
            ("System.DateTime", ["", "default"]),
            ("System.DateTimeOffset", [""]),
            ("System.TimeSpan", ["", "default"]),
            ("System.Guid", ["", "default"]),
            ("int?", ["", "null", "5"]),
            ("double?", ["", "null", "double.NaN"]),
            ("char?", ["", "null", "'y'"]),
            ("byte?", ["", "null", "7"]),
            ("Color", ["", "Color.Red", "(Color)42"]),
            ("Color?", ["", "null", "Color.Blue"]),
            ("Access", ["", "Access.Read | Access.Write"]),
            ("Signed", ["", "Signed.Minus"]),
            ("Order", ["", "null"]),
            ("Order?", ["", "null"]),
            ("string[]", ["", "null"]),
            ("System.Collections.Generic.List<int>", [""]),
            ("System.Collections.Generic.List<Order>", [""]),
            ("System.Collections.Generic.IReadOnlyList<double?>", [""]),
            ("System.Collections.Generic.Dictionary<string, string>", [""]),
            ("object", [""]),
            ("System.Threading.CancellationToken", ["", "default"]),
            ("nint", [""]),
            ("(int A, string B)", [""]),
            ("System.Uri", [""]),
            ("System.Span<int>", [""]),
            ("byte[]", [""]),
            ("System.Half", [""]),
            ("Shape", [""]),
        ];

        private static readonly (string Type, string Body, bool Async)[] Returns =
        [
            ("void", "{ }", false),
            ("string", "=> \"ok\";", false),
            ("int", "=> 1;", false),
            ("System.Threading.Tasks.Task", "=> System.Threading.Tasks.Task.CompletedTask;", false),
            ("System.Threading.Tasks.Task<string>", "=> System.Threading.Tasks.Task.FromResult(\"ok\");", false),
            ("async System.Threading.Tasks.Task<int>", "{ await System.Threading.Tasks.Task.Yield(); return 1; }", true),
            ("System.Threading.Tasks.ValueTask", "=> default;", false),
            ("System.Threading.Tasks.ValueTask<int>", "=> new(1);", false),
            ("System.Span<int>", "=> default;", false),
            ("System.ReadOnlySpan<byte>", "=> default;", false),
            ("ref int", "=> ref field0;", false),
            ("ref readonly int", "=> ref field0;", false),
            ("System.Collections.Generic.IAsyncEnumerable<int>", "=> null!;", false),
            ("object?", "=> null;", false),
            ("(int A, string B)", "=> (1, \"b\");", false),
            ("Order", "=> new Order(\"1\", 2);", false),
            ("int?", "=> null;", false),
            ("async void", "{ await System.Threading.Tasks.Task.Yield(); }", true),
            ("System.Threading.Tasks.Task<System.Threading.Tasks.Task<int>>", "=> System.Threading.Tasks.Task.FromResult(System.Threading.Tasks.Task.FromResult(1));", false),
            ("dynamic", "=> 1;", false),
        ];

        private readonly Random random;
        private readonly StringBuilder builder = new();

        public AgentVariant(Random random, int index)
        {
            this.random = random;
            var tag = "V" + index.ToString(CultureInfo.InvariantCulture);
            var globalNamespace = Chance(10);
            var suffix = globalNamespace ? "_" + tag : string.Empty;
            var agentName = (globalNamespace ? Pick(["Agent", "Agént", "Desk"]) : Pick(["Agent", "@class", "@event", "Agént", "Desk", "Agent"])) + suffix;
            var plainName = agentName.TrimStart('@');

            builder.AppendLine("#nullable enable");
            if (!globalNamespace)
            {
                builder.AppendLine("namespace " + tag + Pick(["", "", ".@class", ".Shop.Orders", ".Ünï"]) + " {");
            }

            builder.AppendLine("public enum Color" + suffix + " { Red, Green, Blue }");
            builder.AppendLine("[System.Flags] public enum Access" + suffix + " { None = 0, Read = 1, Write = 2 }");
            builder.AppendLine("public enum Signed" + suffix + " : sbyte { Minus = -1, Zero = 0 }");
            builder.AppendLine("public abstract class Shape" + suffix + " { public int Sides { get; set; } }");
            WriteRecord(suffix);

            // Containers, outermost first.
            var containers = new List<string>();
            var depth = Chance(35) ? (Chance(30) ? 2 : 1) : 0;
            for (var d = 0; d < depth; d++)
            {
                var container = Pick(["public partial class Outer", "public partial struct Outer", "public partial record Outer", "public partial interface IOuter", "public static partial class Outer", "public partial record struct Outer", "public partial class Outer", "public partial interface IOuter", Chance(50) ? "public class NotPartial" : "public partial class Generic<T>"]) + d + suffix;
                containers.Add(container);
                builder.AppendLine(container + " {");
            }

            var baseAgent = Chance(10);
            if (baseAgent)
            {
                builder.AppendLine("[AgentGuard.Budget(MaxSteps = 2, MaxOutputTokensPerStep = 10)]");
                builder.AppendLine("public partial class Base" + plainName + " { [AgentGuard.AgentTool(\"base\")] public int Ping() => 1; }");
            }

            builder.Append('[').Append("AgentGuard.Budget(").Append(BudgetArguments()).AppendLine(")]");
            var modifiers = Chance(8)
                ? Pick(["public unsafe partial", "public static partial", "public", "file partial"])
                : Pick(["public partial", "internal partial", "public sealed partial", "public abstract partial", "partial"]);
            var kind = Pick(["class", "class", "class", "record", "record class"]);
            builder.Append(modifiers).Append(' ').Append(kind).Append(' ').Append(agentName);
            if (baseAgent && kind == "class")
            {
                builder.Append(" : Base").Append(plainName);
            }

            builder.AppendLine(" {");
            if (!modifiers.Contains("static", StringComparison.Ordinal))
            {
                builder.AppendLine("private int field0;");
                if (Chance(15))
                {
                    builder.AppendLine(Pick(ReservedMembers).Replace("{0}", plainName, StringComparison.Ordinal));
                }

                var tools = random.Next(0, 4);
                for (var t = 0; t < tools; t++)
                {
                    WriteTool(t, suffix);
                }
            }

            builder.AppendLine("}");
            for (var d = 0; d < depth; d++)
            {
                builder.AppendLine("}");
            }

            if (!globalNamespace)
            {
                builder.AppendLine("}");
            }

            Source = builder.ToString();
        }

        public string Source { get; }

        private void WriteRecord(string suffix)
        {
            var members = new List<string>();
            var count = random.Next(0, 4);
            for (var m = 0; m < count; m++)
            {
                var (type, defaults) = ParameterTypes[random.Next(ParameterTypes.Length)];
                if (type.StartsWith("Order", StringComparison.Ordinal) || type.Contains("<Order>", StringComparison.Ordinal) || type.Contains("Span", StringComparison.Ordinal) || type.Contains("CancellationToken", StringComparison.Ordinal))
                {
                    type = "int";
                    defaults = [""];
                }

                members.Add(Qualify(type, suffix) + " M" + m);
            }

            builder.Append("public sealed record Order").Append(suffix).Append("(string Id, int Qty");
            foreach (var member in members)
            {
                builder.Append(", ").Append(member);
            }

            builder.AppendLine(")");
            builder.AppendLine("{");
            if (Chance(50))
            {
                var (type, defaults) = ParameterTypes[random.Next(3, 16)];
                var value = Pick(defaults);
                builder.Append("    public ").Append(type).Append(" Extra { get; init; }").AppendLine(value.Length > 0 ? " = " + value + ";" : string.Empty);
            }

            builder.AppendLine("}");
        }

        private void WriteTool(int index, string suffix)
        {
            var (returnType, body, isAsync) = Returns[random.Next(Returns.Length)];
            var attribute = new StringBuilder("[AgentGuard.AgentTool(");
            attribute.Append(Chance(20) ? "null" : Literal(Pick(Texts)));
            if (Chance(30))
            {
                attribute.Append(", Name = ").Append(Literal(Pick(ToolNames)));
            }

            if (Chance(40))
            {
                attribute.Append(", Cacheable = true");
            }

            if (Chance(20))
            {
                attribute.Append(", CacheTtlSeconds = ").Append(Pick(["-1", "0", "60", "int.MaxValue"]));
            }

            builder.AppendLine(attribute.Append(")]").ToString());
            var modifiers = Chance(20) ? "public static " : "public ";
            if (returnType.StartsWith("ref", StringComparison.Ordinal))
            {
                modifiers = "public ";
            }

            var name = Pick(["GetOrder", "Search", "@event", "RunAsync", "Lookup", "GetOrderAsync", "Tool", "Ping"]) + index.ToString(CultureInfo.InvariantCulture);
            var generic = Chance(5) ? "<T>" : string.Empty;
            builder.Append(modifiers).Append(Qualify(returnType, suffix)).Append(' ').Append(name).Append(generic).Append('(');
            var parameters = random.Next(0, 4);
            var names = new HashSet<string>();
            var sawDefault = false;
            for (var p = 0; p < parameters; p++)
            {
                var (type, defaults) = ParameterTypes[random.Next(ParameterTypes.Length)];
                var parameterName = Pick(ParameterNames);
                if (!names.Add(parameterName.TrimStart('@')))
                {
                    continue;
                }

                if (isAsync && type.Contains("Span", StringComparison.Ordinal))
                {
                    type = "int";
                    defaults = [""];
                }

                var value = Pick(defaults);
                if (sawDefault && value.Length == 0)
                {
                    value = defaults.Skip(1).FirstOrDefault() ?? string.Empty;
                    if (value.Length == 0)
                    {
                        continue;
                    }
                }

                if (names.Count > 1)
                {
                    builder.Append(", ");
                }

                var refKind = !isAsync && value.Length == 0 && Chance(4) ? Pick(["in ", "ref ", "out "]) : string.Empty;
                if (refKind == "out ")
                {
                    refKind = string.Empty;
                }

                builder.Append(refKind).Append(DescriptionPrefix()).Append(Qualify(type, suffix)).Append(' ').Append(parameterName);
                if (value.Length > 0)
                {
                    builder.Append(" = ").Append(Qualify(value, suffix));
                    sawDefault = true;
                }
            }

            builder.Append(") ").AppendLine(body);
        }

        private string DescriptionPrefix()
            => Chance(20) ? "[System.ComponentModel.Description(" + Literal(Pick(Texts)) + ")] " : string.Empty;

        private string BudgetArguments()
        {
            var arguments = new List<string>();
            foreach (var name in new[] { "MaxSteps", "MaxToolCalls", "MaxOutputTokensPerStep", "MaxTotalTokens", "MaxRetriesPerTool" })
            {
                if (Chance(60))
                {
                    arguments.Add(name + " = " + Pick(Chance(4) ? BadIntValues : IntValues));
                }
            }

            foreach (var name in new[] { "SoftLimitUsd", "HardLimitUsd" })
            {
                if (Chance(60))
                {
                    arguments.Add(name + " = " + Pick(Chance(4) ? BadUsdValues : UsdValues));
                }
            }

            if (Chance(30))
            {
                arguments.Add("FallbackModelId = " + Pick(Fallbacks));
            }

            return string.Join(", ", arguments);
        }

        private static string Qualify(string type, string suffix)
            => suffix.Length == 0
                ? type
                : System.Text.RegularExpressions.Regex.Replace(type, @"\b(Color|Access|Signed|Order|Shape)\b", "$1" + suffix);

        private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

        private bool Chance(int percent) => random.Next(100) < percent;

        private string Pick(string[] values) => values[random.Next(values.Length)];
    }
}
