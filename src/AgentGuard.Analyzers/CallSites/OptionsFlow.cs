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
    /// <summary>The model-call method names an options variable may be passed to without escaping.</summary>
    private static readonly HashSet<string> ModelCallNames = new(System.StringComparer.Ordinal)
    {
        "GetResponseAsync",
        "GetStreamingResponseAsync",
        "CompleteChat",
        "CompleteChatAsync",
        "CompleteChatStreaming",
        "CompleteChatStreamingAsync",
        "GetChatMessageContentsAsync",
        "GetChatMessageContentAsync",
        "GetStreamingChatMessageContentsAsync",
    };

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

        if (value is not IObjectCreationOperation creation || !api.HasFix)
        {
            // Semantic Kernel settings keep their cap in connector-specific members or ExtensionData: not provable.
            return OptionsDefinition.Unknown;
        }

        if (creation.Type is null
            || !SymbolEqualityComparer.Default.Equals(creation.Type.OriginalDefinition, api.OptionsType)
            || !creation.Arguments.IsEmpty)
        {
            return OptionsDefinition.Unknown;
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var element in initializer.Initializers)
            {
                if (element is IAssignmentOperation { Target: IPropertyReferenceOperation target }
                    && target.Property.Name == api.CapMember)
                {
                    return OptionsDefinition.Capped;
                }

                if (element is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation nested }
                    && nested.Property.Name == api.CapMember)
                {
                    return OptionsDefinition.Capped;
                }
            }
        }

        return OptionsDefinition.UncappedCreation(creation.Syntax);
    }

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
            || !SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, api.OptionsType))
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
                if (access.Name.Identifier.ValueText == api.CapMember)
                {
                    state.Add(OptionsDefinition.Capped);
                }

                return;

            case ConditionalAccessExpressionSyntax conditional when conditional.Expression == occurrence:
                foreach (var inner in conditional.WhenNotNull.DescendantNodesAndSelf())
                {
                    if (inner is IdentifierNameSyntax innerName && innerName.Identifier.ValueText == api.CapMember)
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
