using AgentGuard.CodeFixes.Prompts;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Prompts.VariablePromptPrefixAnalyzer,
    AgentGuard.CodeFixes.Prompts.VariablePromptPrefixCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Prompts;

public sealed class VariablePromptPrefixCodeFixTests
{
    private static DiagnosticResult Expected(int location, string subject, int stable)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix)
            .WithLocation(location)
            .WithArguments(subject, stable + " characters of stable prompt text", "move the variable part after the stable text")
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Fact]
    public async Task DateLineFirst_MovesLineLast_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System()
                    => new(ChatRole.System, $"Current date: {|#0:{DateTime.Now:yyyy-MM-dd}|}\nYou are the Contoso Outdoors assistant.\nAnswer questions about hiking gear.");
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage System()
                    => new(ChatRole.System, $"You are the Contoso Outdoors assistant.\nAnswer questions about hiking gear.\nCurrent date: {DateTime.Now:yyyy-MM-dd}");
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "DateTime.Now", 76)], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task ConcatenatedSentenceFirst_MovesSentenceLast_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public sealed record Customer(string Name);

            public static class SupportPrompts
            {
                public static ChatMessage For(Customer customer)
                    => new ChatMessage(ChatRole.System, "Customer: " + {|#0:customer.Name|} + ". You are a support agent for Contoso. Be concise and polite.");
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public sealed record Customer(string Name);

            public static class SupportPrompts
            {
                public static ChatMessage For(Customer customer)
                    => new ChatMessage(ChatRole.System, $"You are a support agent for Contoso. Be concise and polite. Customer: {customer.Name}.");
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part 'customer.Name'", 61)], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task PromptInLocal_RewritesInitializer_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class AgentOptions
            {
                public static ChatOptions For(string userId, string plan)
                {
                    var instructions = $"User {userId} on plan {plan}.\nYou are a banking assistant.\nNever reveal account numbers.";
                    return new ChatOptions { Instructions = {|#0:instructions|}, MaxOutputTokens = 400 };
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using Microsoft.Extensions.AI;

            public static class AgentOptions
            {
                public static ChatOptions For(string userId, string plan)
                {
                    var instructions = $"You are a banking assistant.\nNever reveal account numbers.\nUser {userId} on plan {plan}.";
                    return new ChatOptions { Instructions = instructions, MaxOutputTokens = 400 };
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "The variable part '{userId}'", 69)], fixedSource, equivalenceKey: VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast);
    }

    [Fact]
    public async Task TwoPrompts_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage Planner(string goal)
                    => new(ChatRole.System, $"Goal: {|#0:{goal}|}\nYou are a planning agent. Break the goal into numbered steps.");

                public static ChatMessage Critic(int round)
                    => new(ChatRole.System, "Round " + {|#1:round|} + "\nYou are a critic. Point out the weakest step and explain why.");
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System;
            using Microsoft.Extensions.AI;

            public static class Prompts
            {
                public static ChatMessage Planner(string goal)
                    => new(ChatRole.System, $"You are a planning agent. Break the goal into numbered steps.\nGoal: {goal}");

                public static ChatMessage Critic(int round)
                    => new(ChatRole.System, $"You are a critic. Point out the weakest step and explain why.\nRound {round}");
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = VariablePromptPrefixCodeFixProvider.Key_MoveVariablePartsLast,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "The variable part '{goal}'", 62),
            Expected(1, "The variable part 'round'", 62),
        ]);
        await test.RunAsync();
    }
}
