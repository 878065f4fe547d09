using System.Collections.Generic;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// Works out what an options local, field or property provably holds when a model call reads it.
/// </summary>
/// <remarks>
/// The walk is deliberately conservative: every occurrence of the variable's name in its scope (the member body for
/// a local, every declaration of the type for a field or property) must be either an assignment whose value is
/// readable, a use of a member other than the cap, or an argument of a model call. Anything else — the cap's name,
/// passing it to another method, aliasing, <c>ref</c>, a compound assignment — and the variable may get a cap the
/// analyzer cannot see, so it reports nothing. Matching by name over-approximates uses, which can only make the
/// analyzer quieter.
/// </remarks>
internal static class OptionsFlow
{
    /// <summary>The model-call method names an options variable may be passed to without escaping: the catalogue's.</summary>
    private static readonly HashSet<string> ModelCallNames = CollectModelCallNames();

    private static HashSet<string> CollectModelCallNames()
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var api in ModelApiCatalog.Apis)
        {
            foreach (var method in api.Methods)
            {
                names.Add(method);
            }
        }

        // An agent's options are read where the agent is created.
        foreach (var method in ModelApiCatalog.AgentCreationMethods)
        {
            names.Add(method);
        }

        return names;
    }

    /// <summary>Classifies a value given directly to the call.</summary>
    public static OptionsDefinition Classify(IOperation value, OutputCapApi api)
    {
        if (value.ConstantValue.HasValue && value.ConstantValue.Value is null)
        {
            return OptionsDefinition.Null(value.Syntax);
        }

        if (value is IDefaultValueOperation)
        {
            return OptionsDefinition.Null(value.Syntax);
        }

        if (value is not IObjectCreationOperation creation
            || creation.Type is not INamedTypeSymbol createdType
            || !IsJudgedCreation(createdType, api)
            || CopiesOptions(creation, api))
        {
            return OptionsDefinition.Unknown;
        }

        var capMember = CapMemberOf(createdType, api);
        if (capMember is null)
        {
            // A connector's settings type AgentGuard does not know: where its cap lives is not provable.
            return OptionsDefinition.Unknown;
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var element in initializer.Initializers)
            {
                var member = element switch
                {
                    IAssignmentOperation { Target: IPropertyReferenceOperation target } => target.Property.Name,
                    IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation nested } => nested.Property.Name,
                    _ => null,
                };

                if (member is null)
                {
                    continue;
                }

                if (api.Family == ModelApiFamily.AgentFramework && member == "ChatOptions")
                {
                    // The agent's cap is its ChatOptions': judged as the chat options they are.
                    if (element is not IAssignmentOperation { Value: { } chatOptions } || api.Nested is not { } nestedApi)
                    {
                        return OptionsDefinition.Unknown;
                    }

                    var nestedDefinition = Classify(chatOptions.UnwrapImplicitConversions(), nestedApi);
                    return nestedDefinition.Kind == OptionsDefinitionKind.UncappedCreation
                        ? OptionsDefinition.UncappedCreation(nestedDefinition.Node, nestedApi.CapMember)
                        : nestedDefinition.Kind == OptionsDefinitionKind.Capped ? OptionsDefinition.Capped : OptionsDefinition.Unknown;
                }

                if (api.IsCapMember(member))
                {
                    return OptionsDefinition.Capped;
                }
            }
        }

        return OptionsDefinition.UncappedCreation(creation.Syntax, capMember == api.CapMember ? null : capMember);
    }

    /// <summary>
    /// Whether a creation of <paramref name="type"/> is one the analysis can read: the API's own options type, or for
    /// Semantic Kernel any settings type deriving from the base one.
    /// </summary>
    private static bool IsJudgedCreation(INamedTypeSymbol type, OutputCapApi api)
        => SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, api.OptionsType)
            || (api.IsSemanticKernel && type.IsOrInheritsFrom(api.OptionsType));

    /// <summary>A copy constructor (<c>new ChatOptions(other)</c>) brings whatever the copied options hold.</summary>
    private static bool CopiesOptions(IObjectCreationOperation creation, OutputCapApi api)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type is { } type && type.IsOrInheritsFrom(api.OptionsType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The member that carries the cap on <paramref name="type"/>: the API's, or for Semantic Kernel the connector
    /// type's own (<c>MaxTokens</c>, <c>NumPredict</c>…), <c>ExtensionData</c> on the base settings type, and
    /// <see langword="null"/> on a connector type that has none AgentGuard knows.
    /// </summary>
    private static string? CapMemberOf(INamedTypeSymbol type, OutputCapApi api)
    {
        if (!api.IsSemanticKernel)
        {
            return api.CapMember;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, api.OptionsType))
            {
                return SymbolEqualityComparer.Default.Equals(current, type) ? SemanticKernelExtensionData : null;
            }

            foreach (var name in api.CapMembers)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol { IsStatic: false, SetMethod: not null })
                    {
                        return name;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The fix's cap member for Semantic Kernel's base settings: a <c>max_tokens</c> entry of <c>ExtensionData</c>.</summary>
    public const string SemanticKernelExtensionData = "ExtensionData";

    /// <summary>What a local holds when the call reads it.</summary>
    public static OptionsDefinition AnalyzeLocal(ILocalSymbol local, SemanticModel model, OutputCapApi api, CancellationToken cancellationToken)
    {
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1)
        {
            return OptionsDefinition.Unknown;
        }

        if (local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return OptionsDefinition.Unknown;
        }

        var scope = declarator.EnclosingMemberScope();
        if (scope is null)
        {
            return OptionsDefinition.Unknown;
        }

        var state = new FlowState();
        if (declarator.Initializer is { } initializer)
        {
            state.Add(ClassifySyntax(initializer.Value, model, api, cancellationToken));
        }

        ScanOccurrences(scope, local.Name, model, api, state, cancellationToken);
        return state.Result;
    }

    /// <summary>What a private field or auto-property holds when the call reads it.</summary>
    public static OptionsDefinition AnalyzeMember(ISymbol member, ITypeSymbol type, SemanticModel model, OutputCapApi api, CancellationToken cancellationToken)
    {
        // Anything other code can reach could be given a cap elsewhere.
        if (member.DeclaredAccessibility != Accessibility.Private
            || member.ContainingType is not { } containingType
            || member.DeclaringSyntaxReferences.Length != 1
            || !(SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, api.OptionsType)
                || (api.IsSemanticKernel && type.IsOrInheritsFrom(api.OptionsType))))
        {
            return OptionsDefinition.Unknown;
        }

        var declaration = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        var state = new FlowState();
        switch (declaration)
        {
            case VariableDeclaratorSyntax declarator:
                if (declarator.Initializer is { } fieldInitializer)
                {
                    state.Add(declarator.SyntaxTree == model.SyntaxTree
                        ? ClassifySyntax(fieldInitializer.Value, model, api, cancellationToken)
                        : OptionsDefinition.Unknown);
                }

                break;

            case PropertyDeclarationSyntax property when IsAutoProperty(property):
                if (property.Initializer is { } propertyInitializer)
                {
                    state.Add(property.SyntaxTree == model.SyntaxTree
                        ? ClassifySyntax(propertyInitializer.Value, model, api, cancellationToken)
                        : OptionsDefinition.Unknown);
                }

                break;

            default:
                return OptionsDefinition.Unknown;
        }

        foreach (var reference in containingType.DeclaringSyntaxReferences)
        {
            if (state.IsUnknown)
            {
                break;
            }

            ScanOccurrences(reference.GetSyntax(cancellationToken), member.Name, model, api, state, cancellationToken);
        }

        return state.Result;
    }

    private static bool IsAutoProperty(PropertyDeclarationSyntax property)
    {
        if (property.ExpressionBody is not null || property.AccessorList is null)
        {
            return false;
        }

        foreach (var accessor in property.AccessorList.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }
        }

        return true;
    }

    private static OptionsDefinition ClassifySyntax(ExpressionSyntax expression, SemanticModel model, OutputCapApi api, CancellationToken cancellationToken)
    {
        var operation = model.GetOperation(expression, cancellationToken);
        if (operation is null)
        {
            return OptionsDefinition.Unknown;
        }

        return Classify(operation.UnwrapImplicitConversions(), api);
    }

    private static void ScanOccurrences(SyntaxNode scope, string name, SemanticModel model, OutputCapApi api, FlowState state, CancellationToken cancellationToken)
    {
        foreach (var node in scope.DescendantNodes())
        {
            if (state.IsUnknown)
            {
                return;
            }

            if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != name)
            {
                continue;
            }

            SyntaxNode occurrence = identifier;
            switch (identifier.Parent)
            {
                case NameColonSyntax:
                case NameEqualsSyntax:
                case MemberBindingExpressionSyntax:
                case QualifiedNameSyntax:
                    continue;

                case MemberAccessExpressionSyntax access when access.Name == identifier:
                    if (access.Expression is not ThisExpressionSyntax)
                    {
                        // Another object's member of the same name.
                        continue;
                    }

                    occurrence = access;
                    break;
            }

            ClassifyOccurrence(occurrence, model, api, state, cancellationToken);
        }
    }

    private static void ClassifyOccurrence(SyntaxNode occurrence, SemanticModel model, OutputCapApi api, FlowState state, CancellationToken cancellationToken)
    {
        switch (occurrence.Parent)
        {
            case MemberAccessExpressionSyntax access when access.Expression == occurrence:
                if (api.IsCapMember(access.Name.Identifier.ValueText))
                {
                    state.Add(OptionsDefinition.Capped);
                }

                return;

            case ConditionalAccessExpressionSyntax conditional when conditional.Expression == occurrence:
                foreach (var inner in conditional.WhenNotNull.DescendantNodesAndSelf())
                {
                    if (inner is IdentifierNameSyntax innerName && api.IsCapMember(innerName.Identifier.ValueText))
                    {
                        state.Add(OptionsDefinition.Capped);
                        return;
                    }
                }

                return;

            case AssignmentExpressionSyntax assignment when assignment.Left == occurrence:
                if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.SyntaxTree == model.SyntaxTree)
                {
                    state.Add(ClassifySyntax(assignment.Right, model, api, cancellationToken));
                }
                else
                {
                    state.Add(OptionsDefinition.Unknown);
                }

                return;

            case ArgumentSyntax argument
                when argument.RefKindKeyword.IsKind(SyntaxKind.None)
                    && argument.Parent is ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation }
                    && ModelCallNames.Contains(invocation.Expression.InvokedName()):
                return;

            case ArgumentSyntax argument
                when argument.RefKindKeyword.IsKind(SyntaxKind.None)
                    && argument.Parent is ArgumentListSyntax { Parent: BaseObjectCreationExpressionSyntax creation }
                    && creation.SyntaxTree == model.SyntaxTree
                    && model.GetTypeInfo(creation, cancellationToken).Type is { Name: "ChatClientAgent" or "KernelArguments" }:
                // Handed to what sends them: an agent, or the arguments of a Semantic Kernel prompt or agent.
                return;

            default:
                // Passed on, aliased, returned, captured by ref: the cap may be set where we cannot see.
                state.Add(OptionsDefinition.Unknown);
                return;
        }
    }

    /// <summary>The definitions seen so far and whether any of them defeats the analysis.</summary>
    private sealed class FlowState
    {
        private OptionsDefinition single;
        private int count;

        public bool IsUnknown { get; private set; }

        /// <summary>
        /// The one uncapped definition, or — when there are several — an uncapped result with no single place for the
        /// fix to edit; <see cref="OptionsDefinition.Unknown"/> when any definition is unreadable or sets the cap.
        /// </summary>
        public OptionsDefinition Result
            => IsUnknown || count == 0 ? OptionsDefinition.Unknown
                : count == 1 ? single
                : OptionsDefinition.UncappedCreation(null);

        public void Add(OptionsDefinition definition)
        {
            if (!definition.IsUncapped)
            {
                IsUnknown = true;
                return;
            }

            single = definition;
            count++;
        }
    }
}
