using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>An Agent Framework session a loop passes to every run of an agent that keeps its whole history.</summary>
internal sealed class AgentSessionUse
{
    public AgentSessionUse(ISymbol symbol, IOperation argument, IOperation client)
    {
        Symbol = symbol;
        Argument = argument;
        Client = client;
    }

    /// <summary>The session's local, field or parameter.</summary>
    public ISymbol Symbol { get; }

    /// <summary>The session as passed to the run: where the diagnostic goes.</summary>
    public IOperation Argument { get; }

    /// <summary>The chat client the agent was built on: where the fix caps what each request carries.</summary>
    public IOperation Client { get; }
}

/// <summary>
/// AG0005 for Microsoft Agent Framework: <c>agent.RunAsync(input, session)</c> in a loop, with one session for every
/// iteration, appends each turn to the session's history and resends all of it. Reported only when the agent's
/// creation is in view (a local or a field of the same file built with <c>AsAIAgent</c> or <c>new ChatClientAgent</c>)
/// and configures nothing that trims: no chat-history provider or reducer, no compaction, no context providers, and no
/// reducing client.
/// </summary>
internal static class AgentSessionHistory
{
    public static AgentSessionUse? Find(IInvocationOperation call, ILoopOperation loop, AgentGuardSymbols symbols, CancellationToken cancellationToken)
    {
        if (symbols.AIAgent is null
            || symbols.FindModelApi(call.TargetMethod)?.Family != ModelApiFamily.AgentFramework
            || symbols.Types.Get(WellKnownTypeNames.AgentSession) is not { } sessionType
            || call.SemanticModel is not { } model)
        {
            return null;
        }

        IOperation? sessionArgument = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && !argument.IsImplicit
                && argument.Parameter?.Type.IsOrInheritsFrom(sessionType) == true)
            {
                sessionArgument = argument.Value.UnwrapImplicitConversions();
                break;
            }
        }

        var session = sessionArgument?.ReferencedStorageSymbol();
        if (session is null || !DeclaredOutside(session, loop) || AssignedIn(loop, session))
        {
            return null;
        }

        var agent = call.Instance?.UnwrapImplicitConversions().ReferencedStorageSymbol();
        if (agent is null || SoleInitializer.Of(agent, model, cancellationToken) is not { } agentInitializer)
        {
            return null;
        }

        var client = AgentClient(model.GetOperation(agentInitializer, cancellationToken)?.UnwrapImplicitConversions(), symbols);
        if (client is null || TrimmingClients.Mentions(agentInitializer))
        {
            return null;
        }

        var clientSymbol = client.UnwrapImplicitConversions().ReferencedStorageSymbol();
        if (clientSymbol is not null && SoleInitializer.Of(clientSymbol, model, cancellationToken) is { } clientInitializer && TrimmingClients.Mentions(clientInitializer))
        {
            return null;
        }

        return new AgentSessionUse(session, sessionArgument!, client);
    }

    /// <summary>The client of <c>client.AsAIAgent(…)</c> or <c>new ChatClientAgent(client, …)</c>.</summary>
    private static IOperation? AgentClient(IOperation? creation, AgentGuardSymbols symbols)
    {
        switch (creation)
        {
            case IInvocationOperation invocation when ModelApiCatalog.AgentCreationMethods.IndexOf(invocation.TargetMethod.Name) >= 0:
                if (invocation.Instance is { } instance)
                {
                    return instance;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Parameter?.Ordinal == 0 && invocation.TargetMethod.IsExtensionMethod)
                    {
                        return argument.Value;
                    }
                }

                return null;

            case IObjectCreationOperation objectCreation when objectCreation.Type.IsType(symbols.ChatClientAgent):
                foreach (var argument in objectCreation.Arguments)
                {
                    if (argument.Parameter?.Type.IsType(symbols.ChatClient) == true)
                    {
                        return argument.Value;
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private static bool DeclaredOutside(ISymbol symbol, ILoopOperation loop)
    {
        if (symbol is not ILocalSymbol local)
        {
            return symbol is IFieldSymbol or IParameterSymbol or IPropertySymbol;
        }

        foreach (var location in local.Locations)
        {
            if (location.IsInSource && loop.Syntax.Span.Contains(location.SourceSpan))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A session replaced inside the loop starts over each time: it does not grow across iterations.</summary>
    private static bool AssignedIn(ILoopOperation loop, ISymbol session)
    {
        foreach (var operation in loop.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
        {
            if (operation is ISimpleAssignmentOperation assignment
                && SymbolEqualityComparer.Default.Equals(assignment.Target.ReferencedStorageSymbol(), session))
            {
                return true;
            }
        }

        return false;
    }
}
