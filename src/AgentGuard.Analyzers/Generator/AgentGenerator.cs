using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Generator;

/// <summary>
/// Generates, for every <c>partial</c> class with <c>[Budget]</c>: reflection-free tools for its
/// <c>[AgentTool]</c> methods, a bounded <c>RunAsync</c> dispatch loop, memoizing wrappers for cacheable tools,
/// a typed ledger and the agent's worst-case cost. Validation is the <see cref="Agents.AgentDeclarationAnalyzer"/>'s job;
/// the generator skips what it cannot honour.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class AgentGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var agents = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AgentDeclaration.BudgetAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (ctx, ct) => AgentParser.Parse(ctx, ct))
            .WithTrackingName(TrackingNames.Agents)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ValidAgents);

        context.RegisterSourceOutput(agents, static (output, agent) =>
            output.AddSource(agent.HintName, AgentEmitter.Emit(agent)));
    }
}
