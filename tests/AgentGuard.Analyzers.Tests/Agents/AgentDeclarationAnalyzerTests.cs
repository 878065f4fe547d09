using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Agents.AgentDeclarationAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Agents;

public sealed class AgentDeclarationAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentGuard;

        """;

    // Every valid [Budget] also states its worst case (AG1010); tests about other rules only check that it is there.
    private static DiagnosticResult Info(int marker)
        => new DiagnosticResult(DiagnosticDescriptors.AG1010_WorstCaseCost).WithLocation(marker).WithMessage(null);

    [Fact]
    public async Task WellFormedAgent_OnlyStatesWorstCase_DoesNotReportProblems()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400, SoftLimitUsd = 0.02, HardLimitUsd = 0.05, FallbackModelId = "gpt-4o-mini")|}]
            public partial class SupportDesk
            {
                [AgentTool("Looks up an order.", Cacheable = true)]
                public Task<string> GetOrderAsync(string orderId, CancellationToken cancellationToken) => Task.FromResult(orderId);

                [AgentTool(Name = "refund")]
                public string Refund(string orderId, decimal amount, string? reason = null) => "ok";
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG1010_WorstCaseCost).WithLocation(0)
            .WithArguments("SupportDesk", "$0.05", "2026-11-01", "HardLimitUsd; a step starts only if its worst case (input plus output cap) still fits"));
    }

    [Fact]
    public async Task AgentClass_NotPartial_Reports()
    {
        var source = Usings + """
            [{|#1:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public class {|#0:SupportDesk|}
            {
                [AgentTool]
                public string Ping() => "pong";
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1001_AgentClassNotPartial).WithLocation(0).WithArguments("SupportDesk", "is not partial"),
            Info(1));
    }

    [Fact]
    public async Task AgentClass_ContainingTypeNotPartial_Reports()
    {
        var source = Usings + """
            public class Outer
            {
                [{|#1:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
                public partial class {|#0:Inner|}
                {
                    [AgentTool]
                    public string Ping() => "pong";
                }
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1001_AgentClassNotPartial).WithLocation(0).WithArguments("Inner", "is nested in 'Outer', which is not partial"),
            Info(1));
    }

    [Theory]
    [InlineData("public static partial class", "is static")]
    [InlineData("public partial class", "is generic", "<T>")]
    public async Task AgentClass_StaticOrGeneric_Reports(string declaration, string reason, string typeParameters = "")
    {
        var source = Usings + $$"""
            [{|#1:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            {{declaration}} {|#0:Desk|}{{typeParameters}}
            {
                [AgentTool]
                public static string Ping() => "pong";
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1001_AgentClassNotPartial).WithLocation(0).WithArguments("Desk", reason),
            Info(1));
    }

    [Fact]
    public async Task ToolMethod_GenericRefOutPointer_Reports()
    {
        var source = Usings + """
            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public unsafe partial class Desk
            {
                [AgentTool]
                public T {|#0:Echo|}<T>(T value) => value;

                [AgentTool]
                public void Count(ref int {|#1:total|}) { }

                [AgentTool]
                public bool TryFind(string key, out string {|#2:value|}) { value = key; return true; }

                [AgentTool]
                public void Poke(int* {|#3:address|}) { }
            }
            """;

        var test = new Verify.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithAllowUnsafe(true));
        });
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(0).WithArguments("Echo", "is generic"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(1).WithArguments("Count", "has a 'ref' parameter 'total'"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(2).WithArguments("TryFind", "has a 'out' parameter 'value'"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(3).WithArguments("Poke", "has a pointer parameter 'address'"),
            Info(9),
        });
        await test.RunAsync();
    }

    [Fact]
    public async Task ToolMethod_AsyncVoid_Reports()
    {
        var source = Usings + """
            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public async void {|#0:Notify|}(string text) => await Task.Yield();
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(0).WithArguments("Notify", "is async void"),
            Info(9));
    }

    [Fact]
    public async Task ToolParameter_UnsupportedType_Reports()
    {
        var source = Usings + """
            public interface IRepository { }

            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public void Save(object {|#0:payload|}) { }

                [AgentTool]
                public void Use(IRepository {|#1:repository|}) { }

                [AgentTool]
                public void Run(Func<int> {|#2:callback|}) { }

                [AgentTool]
                public void Map(Dictionary<string, int> {|#3:map|}) { }
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1003_UnsupportedToolParameterType).WithLocation(0).WithArguments("payload", "Save", "object"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1003_UnsupportedToolParameterType).WithLocation(1).WithArguments("repository", "Use", "IRepository"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1003_UnsupportedToolParameterType).WithLocation(2).WithArguments("callback", "Run", "System.Func<int>"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1003_UnsupportedToolParameterType).WithLocation(3).WithArguments("map", "Map", "System.Collections.Generic.Dictionary<string, int>"),
            Info(9));
    }

    [Fact]
    public async Task ToolParameter_SupportedShapes_DoNotReport()
    {
        var source = Usings + """
            public enum Tier { Free, Pro }
            public sealed record Address(string Street, string City) { public string? Zip { get; init; } }
            public sealed class Filter { public string? Text { get; set; } public int[] Ids { get; set; } = []; public Tier? Tier { get; set; } }

            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public void All(string s, bool b, int i, long l, double d, float f, decimal m, Tier t, DateTime dt, DateTimeOffset dto,
                    Guid g, TimeSpan ts, int? ni, Tier? nt, string[] names, List<int> ids, IReadOnlyList<Guid> keys,
                    Filter filter, Address address, CancellationToken cancellationToken) { }
            }
            """;

        await Verify.VerifyAsync(source, Info(9));
    }

    [Fact]
    public async Task ToolNames_Duplicate_Reports()
    {
        var source = Usings + """
            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public Task<string> LookupAsync(string id) => Task.FromResult(id);

                [AgentTool]
                public string {|#0:Lookup|}(int id) => "";

                [AgentTool(Name = "search")]
                public string Find(string q) => q;

                [AgentTool(Name = "search")]
                public string {|#1:Query|}(string q) => q;
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1004_DuplicateToolName).WithLocation(0).WithArguments("Lookup", "Desk"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1004_DuplicateToolName).WithLocation(1).WithArguments("search", "Desk"),
            Info(9));
    }

    [Fact]
    public async Task Budget_NoCostOrStepLimit_Reports()
    {
        var source = Usings + """
            [{|#0:Budget(MaxToolCalls = 10, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public string Ping() => "pong";
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1005_BudgetWithoutLimit).WithLocation(0).WithArguments("Desk"),
            Info(0));
    }

    [Theory]
    [InlineData("0.5", "0.5")]
    [InlineData("0.75", "0.5")]
    public async Task Budget_SoftNotBelowHard_Reports(string soft, string hard)
    {
        var source = Usings + $$"""
            [{|#0:Budget(MaxSteps = 5, MaxOutputTokensPerStep = 400, SoftLimitUsd = {{soft}}, HardLimitUsd = {{hard}})|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1006_SoftLimitNotBelowHardLimit).WithLocation(0).WithArguments(soft, hard, "Desk"),
            Info(0));
    }

    [Fact]
    public async Task Budget_SoftBelowHard_DoesNotReport()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 5, MaxOutputTokensPerStep = 400, SoftLimitUsd = 0.49, HardLimitUsd = 0.5)|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source, Info(0));
    }

    [Fact]
    public async Task Budget_NoOutputCap_Reports()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 5)|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1007_BudgetWithoutOutputCap).WithLocation(0).WithArguments("Desk"),
            Info(0));
    }

    [Fact]
    public async Task Budget_FallbackWithoutSoftLimit_Reports()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 5, MaxOutputTokensPerStep = 100, FallbackModelId = "gpt-4o-mini")|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1008_FallbackModelWithoutSoftLimit).WithLocation(0).WithArguments("Desk", "gpt-4o-mini"),
            Info(0));
    }

    [Fact]
    public async Task AgentTools_WithoutBudget_Reports()
    {
        var source = Usings + """
            public partial class {|#0:Desk|}
            {
                [AgentTool]
                public string Ping() => "pong";
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG1009_AgentToolWithoutBudget).WithLocation(0).WithArguments("Desk"));
    }

    [Fact]
    public async Task WorstCase_TokenBound_UsesHighestListedRate()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 5, MaxOutputTokensPerStep = 100, MaxTotalTokens = 100000)|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG1010_WorstCaseCost).WithLocation(0)
            .WithArguments("Desk", "$7.50", "2026-11-01", "MaxTotalTokens 100,000 at the highest listed rate, $75/M (claude-opus-4-1)"));
    }

    [Fact]
    public async Task AgentClass_OldLanguageVersion_Reports()
    {
        var source = Usings + """
            [{|#1:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class {|#0:Desk|}
            {
                [AgentTool]
                public string Ping() { return "pong"; }
            }
            """;

        var test = new Verify.Test { TestCode = source };
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!;
            return solution.WithProjectParseOptions(projectId, options.WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3));
        });
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.AG1011_LanguageVersionTooLow).WithLocation(0).WithArguments("Desk", "7.3"));
        test.ExpectedDiagnostics.Add(Info(1));
        await test.RunAsync();
    }

    [Fact]
    public async Task PlainClass_NoAttributes_DoesNotReport()
    {
        var source = Usings + """
            public class Desk
            {
                public string Ping(ref int x) => "pong";
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Theory]
    [InlineData("HardLimitUsd = 1e30", "HardLimitUsd", "1E+30")]
    [InlineData("HardLimitUsd = double.PositiveInfinity", "HardLimitUsd", "double.PositiveInfinity")]
    [InlineData("SoftLimitUsd = double.NaN", "SoftLimitUsd", "double.NaN")]
    [InlineData("HardLimitUsd = -0.5", "HardLimitUsd", "-0.5")]
    [InlineData("MaxOutputTokensPerStep = -1", "MaxOutputTokensPerStep", "-1")]
    [InlineData("MaxSteps = int.MinValue", "MaxSteps", "-2147483648")]
    public async Task Budget_ValueOutOfRange_ReportsInsteadOfThrowing(string assignment, string property, string value)
    {
        var source = Usings + $$"""
            [{|#0:Budget({{assignment}})|}]
            public partial class Desk
            {
            }
            """;

        // The value is reported, and nothing else: no worst case and no advice for a budget that cannot be enforced.
        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG1012_BudgetValueOutOfRange).WithLocation(0).WithArguments(property, value, "Desk"));
    }

    [Fact]
    public async Task Budget_LargeButValidValues_StatesWorstCase()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = int.MaxValue, MaxTotalTokens = int.MaxValue, MaxOutputTokensPerStep = int.MaxValue, HardLimitUsd = 1e12)|}]
            public partial class Desk
            {
            }
            """;

        await Verify.VerifyAsync(source, Info(0));
    }

    [Theory]
    [InlineData("public int AgentBudget => 1;", "AgentBudget")]
    [InlineData("public Task RunAsync() => Task.CompletedTask;", "RunAsync")]
    [InlineData("public class DeskLedger { }", "DeskLedger")]
    [InlineData("private int InvokePingToolAsync;", "InvokePingToolAsync")]
    public async Task AgentMember_NameTheGeneratorUses_Reports(string member, string name)
    {
        var source = Usings + $$"""
            [{|#1:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public string Ping() => "pong";

                {{member.Replace(name, "{|#0:" + name + "|}")}}
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1013_AgentMemberNameClash).WithLocation(0).WithArguments("Desk", name),
            Info(1));
    }

    [Fact]
    public async Task AgentMember_SimilarButFreeName_DoesNotReport()
    {
        var source = Usings + """
            [{|#0:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public string Ping() => "pong";

                public Task RunOnceAsync() => Task.CompletedTask;
                public int Budget => 1;
                private int InvokeSearchToolAsync;
            }
            """;

        await Verify.VerifyAsync(source, Info(0));
    }

    [Fact]
    public async Task ToolMethod_ByRefRefStructAndParamsShapes_Reports()
    {
        var source = Usings + """
            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                private int total;

                [AgentTool]
                public Span<int> {|#0:Slice|}() => default;

                [AgentTool]
                public ref int {|#1:Total|}() => ref total;

                [AgentTool]
                public int Sum(params int[] {|#2:values|}) => 0;
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(0).WithArguments("Slice", "returns a ref struct ('System.Span<int>')"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(1).WithArguments("Total", "returns by reference"),
            Verify.Diagnostic(DiagnosticDescriptors.AG1002_UnsupportedToolSignature).WithLocation(2).WithArguments("Sum", "has a params parameter 'values'"),
            Info(9));
    }

    [Fact]
    public async Task ToolParameter_EveryPrimitive_DoesNotReport()
    {
        var source = Usings + """
            [{|#9:Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)|}]
            public partial class Desk
            {
                [AgentTool]
                public void All(byte b, sbyte sb, short s, ushort us, uint ui, ulong ul, char c, byte? nb, char? nc) { }
            }
            """;

        await Verify.VerifyAsync(source, Info(9));
    }

    // The analyzer asks a type for its attributes only when its declaration carries one of their names: every way
    // of writing them must still be seen.
    [Theory]
    [InlineData("using B = AgentGuard.BudgetAttribute;", "B(MaxSteps = 8, MaxOutputTokensPerStep = 400)", "AgentTool")]
    [InlineData("", "AgentGuard.Budget(MaxSteps = 8, MaxOutputTokensPerStep = 400)", "AgentGuard.AgentToolAttribute")]
    [InlineData("", "global::AgentGuard.BudgetAttribute(MaxSteps = 8, MaxOutputTokensPerStep = 400)", "AgentTool")]
    public async Task AgentClass_AttributeWrittenQualifiedOrThroughAlias_StillAnalyzed(string alias, string budget, string tool)
    {
        var source = alias + "\n" + Usings + $$"""
            [{|#1:{{budget}}|}]
            public class {|#0:SupportDesk|}
            {
                [{{tool}}]
                public string Ping() => "pong";
            }
            """;

        await Verify.VerifyAsync(source,
            Verify.Diagnostic(DiagnosticDescriptors.AG1001_AgentClassNotPartial).WithLocation(0).WithArguments("SupportDesk", "is not partial"),
            Info(1));
    }

    [Fact]
    public async Task ToolThroughAliasInAnotherFile_WithoutBudget_Reports()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    ("/Usings.cs", "global using Tool = AgentGuard.AgentToolAttribute;"),
                    ("/Desk.cs", Usings + """
                        public partial class {|#0:SupportDesk|}
                        {
                            [Tool]
                            public string Ping() => "pong";
                        }
                        """),
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic(DiagnosticDescriptors.AG1009_AgentToolWithoutBudget).WithLocation(0).WithArguments("SupportDesk"));
        await test.RunAsync();
    }
}
