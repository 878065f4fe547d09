using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Whether a capped client pipeline provably reaches a model call, through the client the call is made on: a local,
/// field or property every value of which is built by a capped pipeline, or a client injected by dependency
/// injection (a parameter, <c>GetRequiredService&lt;IChatClient&gt;()</c>) whose key the project registers only with
/// capped pipelines. A pipeline elsewhere in the project proves nothing about other clients. One instance per
/// compilation: registrations are read once, and what a field or property holds once per member.
/// </summary>
internal sealed class CappedClientReach
{
    private const string ChatClientInterface = "IChatClient";

    private readonly INamedTypeSymbol? chatClientType;
    private readonly Lazy<ChatClientRegistrations> registrations;
    private readonly ConcurrentDictionary<ISymbol, bool> members = new(SymbolEqualityComparer.Default);

    public CappedClientReach(Compilation compilation, INamedTypeSymbol? chatClientType)
    {
        this.chatClientType = chatClientType;

        // Scanned on the first call that needs it; not cached if that scan is cancelled.
        registrations = new Lazy<ChatClientRegistrations>(
            () => ClientPipelineScanner.GetRegistrations(compilation, CancellationToken.None),
            LazyThreadSafetyMode.PublicationOnly);
    }

    public bool Reaches(IInvocationOperation invocation, CancellationToken cancellationToken)
        => ReachesClient(Receiver(invocation), cancellationToken);

    /// <summary>Whether a capped pipeline provably built <paramref name="receiver"/>, the client a call or agent uses.</summary>
    public bool ReachesClient(IOperation? receiver, CancellationToken cancellationToken)
    {
        receiver = receiver?.UnwrapImplicitConversions();
        if (IsAnthropicAdapter(receiver, cancellationToken))
        {
            return true;
        }

        // A call made on AgentGuard's guard itself (however it was built: a helper, a factory) goes through its
        // per-step cap whenever the project sets one.
        if (receiver?.Type is { Name: "BudgetChatClient", ContainingNamespace: { Name: "AgentGuard", ContainingNamespace.IsGlobalNamespace: true } }
            && registrations.Value.GuardCaps)
        {
            return true;
        }

        switch (receiver)
        {
            case ILocalReferenceOperation local:
                return LocalReaches(local.Local, cancellationToken);

            case IFieldReferenceOperation field when IsThisOrStatic(field.Instance):
                return members.GetOrAdd(field.Field, m => MemberReaches(m, cancellationToken));

            case IPropertyReferenceOperation property when IsThisOrStatic(property.Instance) && property.Arguments.IsEmpty:
                return members.GetOrAdd(property.Property, m => MemberReaches(m, cancellationToken));

            case IParameterReferenceOperation parameter:
                return parameter.Parameter.Type.IsType(chatClientType)
                    && parameter.Parameter.DeclaringSyntaxReferences.Length == 1
                    && parameter.Parameter.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is ParameterSyntax syntax
                    && registrations.Value.Covers(InjectionKey(syntax));

            case { Syntax: ExpressionSyntax expression }:
                return ValueReaches(expression);

            default:
                return false;
        }
    }

    /// <summary>
    /// Anthropic's <c>IChatClient</c> adapter (<c>anthropicClient.AsIChatClient(model, defaultMaxOutputTokens)</c>) sends
    /// <c>max_tokens</c> on every request — the one given, else 1024 — because the Messages API requires it: a client
    /// it built, at the call or in a local initialized with it, is capped.
    /// </summary>
    private static bool IsAnthropicAdapter(IOperation? receiver, CancellationToken cancellationToken)
    {
        if (receiver is ILocalReferenceOperation reference
            && reference.SemanticModel is { } model
            && SoleInitializer.Of(reference.Local, model, cancellationToken) is { } value)
        {
            receiver = model.GetOperation(value, cancellationToken)?.UnwrapImplicitConversions();
        }

        // The adapter is often the innermost client of a pipeline: anthropic.AsIChatClient(m).AsBuilder()….Build().
        for (var depth = 0; depth < 16 && receiver is IInvocationOperation invocation; depth++)
        {
            var method = invocation.TargetMethod;
            if (method is { Name: "AsIChatClient", ContainingType: { Name: "AnthropicClientExtensions" or "AnthropicBetaClientExtensions" } adapter }
                && adapter.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.AI")
            {
                return true;
            }

            var inner = invocation.Instance ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
            if (inner is null || !(IsChatClientBuilder(inner.Type) || method.Name == "AsBuilder"))
            {
                return false;
            }

            receiver = inner.UnwrapImplicitConversions();
        }

        return false;
    }

    private static bool IsChatClientBuilder(ITypeSymbol? type)
        => type is { Name: "ChatClientBuilder" } && type.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.AI";

    /// <summary>The client a call is made on: the instance, or the first argument of an extension method.</summary>
    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance.UnwrapImplicitConversions();
        }

        if (invocation.TargetMethod.IsExtensionMethod)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    return argument.Value.UnwrapImplicitConversions();
                }
            }
        }

        return null;
    }

    private static bool IsThisOrStatic(IOperation? instance)
        => instance is null || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    private bool LocalReaches(ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.EnclosingMemberScope() is not { } scope)
        {
            return false;
        }

        var values = new List<ExpressionSyntax>();
        if (declarator.Initializer is { } initializer)
        {
            values.Add(initializer.Value);
        }

        CollectAssignments(scope, local.Name, values);
        return AllReach(values);
    }

    /// <summary>
    /// A field or property is built by a capped pipeline when every value the declaring type gives it is: its
    /// initializer, a property's expression body, and every assignment to it in the type's declarations.
    /// </summary>
    private bool MemberReaches(ISymbol member, CancellationToken cancellationToken)
    {
        if (member.DeclaringSyntaxReferences.Length != 1 || member.ContainingType is not { } containingType)
        {
            return false;
        }

        var values = new List<ExpressionSyntax>();
        switch (member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken))
        {
            case VariableDeclaratorSyntax { Initializer: { } fieldInitializer }:
                values.Add(fieldInitializer.Value);
                break;

            case PropertyDeclarationSyntax property:
                if (property.Initializer is { } propertyInitializer)
                {
                    values.Add(propertyInitializer.Value);
                }

                if (property.ExpressionBody is { } body)
                {
                    values.Add(body.Expression);
                }

                break;
        }

        foreach (var reference in containingType.DeclaringSyntaxReferences)
        {
            CollectAssignments(reference.GetSyntax(cancellationToken), member.Name, values);
        }

        return AllReach(values);
    }

    private static void CollectAssignments(SyntaxNode scope, string name, List<ExpressionSyntax> values)
    {
        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax assignment && IsNamed(assignment.Left, name))
            {
                // A compound assignment (??=) keeps a value the scan has not read: it proves nothing.
                values.Add(assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) ? assignment.Right : assignment);
            }
        }
    }

    private static bool IsNamed(ExpressionSyntax target, string name)
        => target switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText == name,
            _ => false,
        };

    private bool AllReach(List<ExpressionSyntax> values)
    {
        if (values.Count == 0)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (!ValueReaches(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a value given to a client variable is capped: it builds a capped pipeline, or it is an injected client
    /// (a parameter of the enclosing method, lambda or primary constructor, or a <c>GetRequiredService</c> call) whose
    /// DI registrations all cap.
    /// </summary>
    private bool ValueReaches(ExpressionSyntax value)
    {
        if (value is AssignmentExpressionSyntax)
        {
            return false;
        }

        if (ClientPipelineScanner.BuildsCappedPipeline(value))
        {
            return true;
        }

        switch (value)
        {
            case IdentifierNameSyntax identifier:
                return FindParameter(identifier) is { } parameter
                    && parameter.Type?.RightmostName() == ChatClientInterface
                    && registrations.Value.Covers(InjectionKey(parameter));

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax resolve } } invocation
                when resolve.TypeArgumentList.Arguments.Count == 1
                    && resolve.TypeArgumentList.Arguments[0].RightmostName() == ChatClientInterface:
                switch (resolve.Identifier.ValueText)
                {
                    case "GetService":
                    case "GetRequiredService":
                        return registrations.Value.Covers(null);
                    case "GetKeyedService":
                    case "GetRequiredKeyedService":
                        return invocation.ArgumentList.Arguments.Count == 1
                            && registrations.Value.Covers(ClientPipelineScanner.ServiceKey(invocation.ArgumentList.Arguments[0].Expression));
                    default:
                        return false;
                }

            default:
                return false;
        }
    }

    /// <summary>The parameter a name refers to, looked up in the enclosing functions and primary constructor.</summary>
    private static ParameterSyntax? FindParameter(IdentifierNameSyntax identifier)
    {
        var name = identifier.Identifier.ValueText;
        for (var node = identifier.Parent; node is not null; node = node.Parent)
        {
            var parameters = node switch
            {
                BaseMethodDeclarationSyntax method => method.ParameterList,
                LocalFunctionStatementSyntax function => function.ParameterList,
                ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList,
                TypeDeclarationSyntax type => type.ParameterList,
                _ => null,
            };

            if (node is SimpleLambdaExpressionSyntax simple && simple.Parameter.Identifier.ValueText == name)
            {
                return simple.Parameter;
            }

            if (parameters is null)
            {
                continue;
            }

            foreach (var parameter in parameters.Parameters)
            {
                if (parameter.Identifier.ValueText == name)
                {
                    return parameter;
                }
            }
        }

        return null;
    }

    /// <summary>The key of <c>[FromKeyedServices(key)]</c> on an injected parameter; <see langword="null"/> without one.</summary>
    private static string? InjectionKey(ParameterSyntax parameter)
    {
        foreach (var list in parameter.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = attribute.Name is QualifiedNameSyntax qualified ? qualified.Right : attribute.Name;
                if (name is SimpleNameSyntax { Identifier.ValueText: "FromKeyedServices" or "FromKeyedServicesAttribute" }
                    && attribute.ArgumentList is { Arguments.Count: 1 } arguments)
                {
                    return ClientPipelineScanner.ServiceKey(arguments.Arguments[0].Expression);
                }
            }
        }

        return null;
    }
}
