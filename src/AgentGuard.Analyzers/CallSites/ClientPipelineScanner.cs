using System;
using System.Runtime.CompilerServices;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Finds, in the declarations of one type, a chat-client pipeline that caps the output of every request:
/// AgentGuard's <c>UseAgentGuard(…)</c> (matched by name, so it works before the runtime type exists),
/// a <c>BudgetChatClient</c>, or <c>ConfigureOptions</c> / <c>ConfigureOptionsChatClient</c> whose callback mentions
/// <c>MaxOutputTokens</c>.
/// </summary>
internal static class ClientPipelineScanner
{
    private const string CapMember = "MaxOutputTokens";
    private const string BudgetCapMember = "MaxOutputTokensPerStep";

    /// <summary>
    /// Whether the compilation configures, anywhere, a pipeline that caps every request: <c>ConfigureOptions</c>
    /// setting <c>MaxOutputTokens</c>, or AgentGuard's guard (<c>UseAgentGuard</c>, <c>AddAgentGuard</c>,
    /// <c>BudgetChatClient</c>) together with a <c>MaxOutputTokensPerStep</c> outside a <c>[Budget]</c> attribute. This
    /// is the usual set-up: the pipeline is built once in <c>Program.cs</c> and the client injected into every service
    /// that calls it.
    /// </summary>
    public static bool CompilationAppliesCap(Compilation compilation, CancellationToken cancellationToken)
    {
        var guard = false;
        var budgetCap = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Trees an edit did not touch are shared between compilations, so in the IDE only the edited file is
            // scanned again on a keystroke.
            var facts = TreeFacts.GetValue(tree, t => Scan(t, cancellationToken));
            if (facts.ConfiguresCap)
            {
                return true;
            }

            guard |= facts.HasGuard;
            budgetCap |= facts.MentionsBudgetCap;
            if (guard && budgetCap)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly ConditionalWeakTable<SyntaxTree, PipelineFacts> TreeFacts = new();

    private static PipelineFacts Scan(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var facts = new PipelineFacts();

        // Almost no file builds a pipeline: a plain text search rules most out before any syntax node is visited.
        var text = tree.GetText(cancellationToken).ToString();
        if (text.IndexOf("UseAgentGuard", StringComparison.Ordinal) < 0
            && text.IndexOf("AddAgentGuard", StringComparison.Ordinal) < 0
            && text.IndexOf("BudgetChatClient", StringComparison.Ordinal) < 0
            && text.IndexOf("ConfigureOptions", StringComparison.Ordinal) < 0
            && text.IndexOf(BudgetCapMember, StringComparison.Ordinal) < 0)
        {
            return facts;
        }

        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation:
                    var name = invocation.Expression.InvokedName();
                    facts.ConfiguresCap |= name == "ConfigureOptions" && Mentions(invocation.ArgumentList, CapMember);
                    facts.HasGuard |= name is "UseAgentGuard" or "AddAgentGuard";
                    break;

                case ObjectCreationExpressionSyntax creation:
                    var typeName = RightmostName(creation.Type);
                    facts.ConfiguresCap |= typeName == "ConfigureOptionsChatClient" && creation.ArgumentList is { } arguments && Mentions(arguments, CapMember);
                    facts.HasGuard |= typeName == "BudgetChatClient";
                    break;

                // A [Budget(MaxOutputTokensPerStep = …)] attribute argument caps the steps of a generated agent, not
                // the requests of a client pipeline.
                case IdentifierNameSyntax identifier when identifier.Identifier.ValueText == BudgetCapMember && identifier.Parent is not NameEqualsSyntax:
                    facts.MentionsBudgetCap = true;
                    break;
            }
        }

        return facts;
    }

    private sealed class PipelineFacts
    {
        public bool ConfiguresCap { get; set; }

        public bool HasGuard { get; set; }

        public bool MentionsBudgetCap { get; set; }
    }

    public static bool AppliesCap(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var root = reference.GetSyntax(cancellationToken);
            foreach (var node in root.DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax invocation:
                        var name = invocation.Expression.InvokedName();
                        if (name == "UseAgentGuard"
                            || (name == "ConfigureOptions" && Mentions(invocation.ArgumentList, CapMember)))
                        {
                            return true;
                        }

                        break;

                    case ObjectCreationExpressionSyntax creation:
                        var typeName = RightmostName(creation.Type);
                        if (typeName == "BudgetChatClient"
                            || (typeName == "ConfigureOptionsChatClient" && creation.ArgumentList is { } arguments && Mentions(arguments, CapMember)))
                        {
                            return true;
                        }

                        break;
                }
            }
        }

        return false;
    }

    private static bool Mentions(SyntaxNode node, string name)
    {
        foreach (var inner in node.DescendantNodes())
        {
            if (inner is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string RightmostName(TypeSyntax type)
        => type switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
}
