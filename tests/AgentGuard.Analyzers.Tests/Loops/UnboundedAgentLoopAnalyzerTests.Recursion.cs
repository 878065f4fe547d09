using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Methods and local functions that call themselves (or each other) around a model call.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task Recursion_OnToolFailure_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class SelfHealingAgent(IChatClient client)
            {
                public async Task<string> RunAsync(string task)
                {
                    var response = await client.GetResponseAsync(task);
                    try
                    {
                        return await ExecuteToolAsync(response.Text);
                    }
                    catch (InvalidOperationException ex)
                    {
                        return await {|#0:RunAsync(task + "\nThe tool failed: " + ex.Message)|};
                    }
                }

                private static Task<string> ExecuteToolAsync(string plan) => Task.FromResult(plan);
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("RunAsync"));
    }

    [Fact]
    public async Task Recursion_UntilModelSaysDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Refiner(IChatClient client)
            {
                public async Task<string> RefineAsync(string draft)
                {
                    var response = await client.GetResponseAsync("Improve this, or reply DONE if it is good: " + draft);
                    if (response.Text == "DONE")
                    {
                        return draft;
                    }

                    return await {|#0:RefineAsync(response.Text)|};
                }
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("RefineAsync"));
    }

    [Fact]
    public async Task MutualRecursion_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class PingPong(IChatClient client)
            {
                public async Task PlanAsync(string goal)
                {
                    var plan = await client.GetResponseAsync("Plan: " + goal);
                    await {|#0:ActAsync(plan.Text)|};
                }

                private async Task ActAsync(string plan)
                {
                    var result = await client.GetResponseAsync("Act: " + plan);
                    if (!result.Text.Contains("DONE"))
                    {
                        await {|#1:PlanAsync(result.Text)|};
                    }
                }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("PlanAsync"),
            Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(1).WithArguments("ActAsync"));
    }

    [Fact]
    public async Task LocalFunctionRecursion_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;

            public static class Brainstorm
            {
                public static async Task RunAsync(Kernel kernel, KernelFunction expand, string topic)
                {
                    await Next(topic);

                    async Task Next(string idea)
                    {
                        var result = await kernel.InvokeAsync(expand, new KernelArguments { ["idea"] = idea });
                        var text = result.GetValue<string>() ?? "";
                        if (!text.Contains("ENOUGH"))
                        {
                            await {|#0:Next(text)|};
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentRecursion).WithLocation(0).WithArguments("Next"));
    }

    [Fact]
    public async Task RecursionWithDepthLimit_AndOverTree_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Section(string Text, IReadOnlyList<Section> Children);

            public sealed class Summaries(IChatClient client)
            {
                private const int MaxDepth = 3;

                public async Task<string> DeepenAsync(string idea, int depth = 0)
                {
                    if (depth >= MaxDepth)
                    {
                        return idea;
                    }

                    var response = await client.GetResponseAsync("Deepen: " + idea);
                    return await DeepenAsync(response.Text, depth + 1);
                }

                public async Task<string> SummarizeAsync(Section section)
                {
                    var parts = new List<string>();
                    foreach (var child in section.Children)
                    {
                        parts.Add(await SummarizeAsync(child));
                    }

                    var response = await client.GetResponseAsync("Summarize: " + section.Text + string.Join("\n", parts));
                    return response.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
