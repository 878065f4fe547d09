using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Reads chat-client pipelines from syntax: whether an expression builds a pipeline that caps the output of every
/// request (AgentGuard's <c>UseAgentGuard(…)</c>, matched by name so it works before the runtime type exists, a
/// <c>BudgetChatClient</c>, or <c>ConfigureOptions</c> / <c>ConfigureOptionsChatClient</c> whose callback mentions
/// <c>MaxOutputTokens</c>), and which chat clients the project registers for dependency injection.
/// </summary>
internal static class ClientPipelineScanner
{
    private const string CapMember = "MaxOutputTokens";
    private const string BudgetCapMember = "MaxOutputTokensPerStep";
    private const string AddChatClient = "AddChatClient";
    private const string AddKeyedChatClient = "AddKeyedChatClient";

    /// <summary>
    /// The project's <c>AddChatClient</c> / <c>AddKeyedChatClient</c> registrations and whether each caps every
    /// request: a step in its builder chain that caps (<see cref="BuildsCappedPipeline"/>), or AgentGuard's guard in
    /// the chain together with a <c>MaxOutputTokensPerStep</c> somewhere in the project outside a <c>[Budget]</c>
    /// attribute (the usual <c>AddAgentGuard(o => …)</c> + <c>AddChatClient(…).UseAgentGuard()</c> set-up).
    /// </summary>
    public static ChatClientRegistrations GetRegistrations(Compilation compilation, CancellationToken cancellationToken)
    {
        var budgetCap = false;
        var found = new List<Registration>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            // Trees an edit did not touch are shared between compilations, so in the IDE only the edited file is
            // scanned again on a keystroke.
            var facts = TreeFacts.GetValue(tree, t => Scan(t, cancellationToken));
            budgetCap |= facts.MentionsBudgetCap;
            found.AddRange(facts.Registrations);
        }

        var registrations = new ChatClientRegistrations { GuardCaps = budgetCap };
        foreach (var registration in found)
        {
            registrations.Add(registration.Key, registration.Caps || (registration.Guards && budgetCap));
        }

        return registrations;
    }

    /// <summary>Whether <paramref name="node"/> contains a pipeline step that caps every request.</summary>
    public static bool BuildsCappedPipeline(SyntaxNode node)
    {
        foreach (var inner in node.DescendantNodesAndSelf())
        {
            switch (inner)
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
                    var typeName = creation.Type.RightmostName();
                    if (typeName == "BudgetChatClient"
                        || (typeName == "ConfigureOptionsChatClient" && creation.ArgumentList is { } arguments && Mentions(arguments, CapMember)))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// The text a DI service key is compared by: a string literal by its value, anything else (a constant, an enum
    /// member, <c>nameof</c>) by its source text, so the registration and the injection must spell it alike.
    /// </summary>
    public static string ServiceKey(ExpressionSyntax key)
        => key is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? "\"" + literal.Token.ValueText
            : key.WithoutTrivia().ToString();

    private static readonly ConditionalWeakTable<SyntaxTree, PipelineFacts> TreeFacts = new();

    private static PipelineFacts Scan(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var facts = new PipelineFacts();

        // Almost no file registers a client: a plain text search rules most out before any syntax node is visited.
        var text = tree.GetText(cancellationToken).ToString();
        if (text.IndexOf(AddChatClient, StringComparison.Ordinal) < 0
            && text.IndexOf(AddKeyedChatClient, StringComparison.Ordinal) < 0
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
                    if (name == AddChatClient)
                    {
                        facts.Registrations.Add(ReadRegistration(invocation, key: null));
                    }
                    else if (name == AddKeyedChatClient && KeyArgument(invocation.ArgumentList) is { } key)
                    {
                        facts.Registrations.Add(ReadRegistration(invocation, ServiceKey(key)));
                    }

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

    private static ExpressionSyntax? KeyArgument(ArgumentListSyntax arguments)
    {
        foreach (var argument in arguments.Arguments)
        {
            if (argument.NameColon is { } nameColon)
            {
                if (nameColon.Name.Identifier.ValueText == "serviceKey")
                {
                    return argument.Expression;
                }

                continue;
            }

            return argument.Expression;
        }

        return null;
    }

    /// <summary>
    /// Reads the builder chain that follows a registration: <c>services.AddChatClient(…).UseX().UseY()</c>, or the
    /// same steps called on a local the builder is stored in. A builder that leaves the method (returned, passed on,
    /// stored in a field) may be capped where the scan cannot see, so it counts as capped.
    /// </summary>
    private static Registration ReadRegistration(InvocationExpressionSyntax registration, string? key)
    {
        var chain = OutermostChain(registration);
        var caps = BuildsCappedPipeline(chain);
        var guards = BuildsGuardedPipeline(chain);
        switch (chain.Parent)
        {
            case ExpressionStatementSyntax:
                break;

            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                when declarator.EnclosingMemberScope() is { } scope:
                var builder = declarator.Identifier.ValueText;
                foreach (var node in scope.DescendantNodes())
                {
                    if (node is IdentifierNameSyntax identifier
                        && identifier.Identifier.ValueText == builder
                        && identifier.Parent is MemberAccessExpressionSyntax access
                        && access.Expression == identifier
                        && access.Parent is InvocationExpressionSyntax step)
                    {
                        var steps = OutermostChain(step);
                        caps |= BuildsCappedPipeline(steps);
                        guards |= BuildsGuardedPipeline(steps);
                    }
                }

                break;

            default:
                caps = true;
                break;
        }

        return new Registration(key, caps, guards);
    }

    private static ExpressionSyntax OutermostChain(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax current = invocation;
        while (current.Parent is MemberAccessExpressionSyntax access
            && access.Expression == current
            && access.Parent is InvocationExpressionSyntax next
            && next.Expression == access)
        {
            current = next;
        }

        return current;
    }

    private static bool BuildsGuardedPipeline(SyntaxNode node)
    {
        foreach (var inner in node.DescendantNodesAndSelf())
        {
            if ((inner is InvocationExpressionSyntax invocation && invocation.Expression.InvokedName() == "UseAgentGuard")
                || (inner is ObjectCreationExpressionSyntax creation && creation.Type.RightmostName() == "BudgetChatClient"))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class PipelineFacts
    {
        public bool MentionsBudgetCap { get; set; }

        public List<Registration> Registrations { get; } = new();
    }

    private readonly struct Registration
    {
        public Registration(string? key, bool caps, bool guards)
        {
            Key = key;
            Caps = caps;
            Guards = guards;
        }

        public string? Key { get; }

        public bool Caps { get; }

        public bool Guards { get; }
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
}
