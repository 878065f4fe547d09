using System.Collections.Generic;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Tools;

/// <summary>
/// Looks for the first effect a tool body has beyond computing its result, following calls into methods declared
/// in the same file up to <see cref="MaxDepth"/> levels.
/// </summary>
/// <remarks>
/// What counts: the framework APIs of <see cref="SideEffectCatalog"/>; assignments to fields, properties, indexers
/// or array elements of <c>this</c>, of static state, or of objects reached from them or from injected services;
/// collection mutators on such state; write-named methods (<c>SaveAsync</c>, <c>RefundAsync</c>, …) on injected
/// services and other code whose body the analyzer cannot read. What does not: logging, console output, mutating
/// objects the method created, and mutating the tool's own parameters (fresh objects deserialized from the
/// model's arguments on every call).
/// </remarks>
internal sealed class SideEffectFinder
{
    /// <summary>How many calls deep the finder follows helpers in the same file.</summary>
    public const int MaxDepth = 3;

    private const int MaxAliasHops = 4;

    private readonly SemanticModel model;
    private readonly SideEffectCatalog catalog;
    private readonly CancellationToken cancellationToken;
    private readonly HashSet<IMethodSymbol> visited = new(SymbolEqualityComparer.Default);

    public SideEffectFinder(SemanticModel model, SideEffectCatalog catalog, IMethodSymbol tool, CancellationToken cancellationToken)
    {
        this.model = model;
        this.catalog = catalog;
        this.cancellationToken = cancellationToken;
        visited.Add(tool.OriginalDefinition);
    }

    /// <summary>Describes the first effect in <paramref name="body"/>, or returns <see langword="null"/>.</summary>
    public string? Find(IOperation body, int depth)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var effect = operation switch
            {
                IInvocationOperation invocation => Invocation(invocation, depth),
                IObjectCreationOperation creation => SideEffectCatalog.DescribeKnownCreation(creation),
                // "_client ??= new HttpClient()" is lazy initialization of the tool's own resources, not an effect.
                IAssignmentOperation assignment and not IDeconstructionAssignmentOperation and not ICoalesceAssignmentOperation => Assignment(assignment.Target),
                IIncrementOrDecrementOperation increment => Assignment(increment.Target),
                _ => null,
            };

            if (effect is not null)
            {
                return effect;
            }
        }

        return null;
    }

    private string? Invocation(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        if (method is null || SideEffectCatalog.IsLogging(method))
        {
            return null;
        }

        if (SideEffectCatalog.DescribeKnownCall(method) is { } known)
        {
            return known;
        }

        if (method.Name is "Send" or "SendAsync" && method.ContainingType is { Name: "HttpClient" or "HttpMessageInvoker" })
        {
            return DescribeHttpSend(invocation);
        }

        var receiver = invocation.Instance;
        if (receiver is null && method.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            receiver = invocation.Arguments[0].Value;
        }

        if (SideEffectCatalog.IsCollectionMutator(method))
        {
            return receiver is not null && IsExternalState(receiver, 0)
                ? "changes state it did not create (" + Short(receiver.Syntax) + "." + method.Name + ")"
                : null;
        }

        var body = depth < MaxDepth && method.MethodKind == MethodKind.Ordinary ? ReadableBody(method) : null;
        if (body is not null)
        {
            // A helper on an object this method created acts on that object only.
            if (receiver is not null && !IsExternalState(receiver, 0))
            {
                return null;
            }

            if (!visited.Add(method.OriginalDefinition))
            {
                return null;
            }

            var inner = Find(body, depth + 1);
            return inner is null ? null : "calls '" + method.Name + "', which " + inner;
        }

        if (method.ContainingType is { } type
            && !SideEffectCatalog.IsFrameworkType(type)
            && method.MethodKind == MethodKind.Ordinary
            && catalog.IsWriteName(method.Name)
            && (receiver is null ? method.IsStatic : IsExternalState(receiver, 0)))
        {
            return "calls " + type.Name + "." + method.Name;
        }

        return null;
    }

    private string? Assignment(IOperation target)
    {
        IOperation? instance;
        bool isStatic;
        switch (target)
        {
            case IFieldReferenceOperation field:
                instance = field.Instance;
                isStatic = field.Field.IsStatic;
                break;
            case IPropertyReferenceOperation property:
                instance = property.Instance;
                isStatic = property.Property.IsStatic;
                break;
            case IArrayElementReferenceOperation element:
                instance = element.ArrayReference;
                isStatic = false;
                break;
            default:
                // Locals, parameters, discards: the method's own.
                return null;
        }

        if (isStatic || instance is null)
        {
            return "assigns static state (" + Short(target.Syntax) + ")";
        }

        return IsExternalState(instance, 0) ? "assigns state it did not create (" + Short(target.Syntax) + ")" : null;
    }

    /// <summary>Whether <paramref name="operation"/> is <c>this</c> or state reached from it, static state or an injected service.</summary>
    private bool IsExternalState(IOperation operation, int hops)
    {
        while (true)
        {
            switch (operation.UnwrapAllConversions())
            {
                case IInstanceReferenceOperation instance:
                    return instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance;
                case IFieldReferenceOperation field:
                    if (field.Field.IsStatic || field.Instance is null)
                    {
                        return !field.Field.IsConst;
                    }

                    operation = field.Instance;
                    continue;
                case IPropertyReferenceOperation property:
                    if (property.Property.IsStatic || property.Instance is null)
                    {
                        return true;
                    }

                    operation = property.Instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    continue;
                case IParameterReferenceOperation parameter:
                    // A primary-constructor parameter captured by a method is an injected dependency; the tool's own
                    // parameters are fresh objects deserialized from the model's arguments.
                    // (Tools and the helpers followed are ordinary methods, never the constructor itself.)
                    return parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor };
                case ILocalReferenceOperation local:
                    return hops < MaxAliasHops && LocalAliasesExternalState(local.Local, hops + 1);
                default:
                    return false;
            }
        }
    }

    /// <summary>Whether a local was initialized from existing state (<c>var order = _orders[id];</c>) rather than created.</summary>
    private bool LocalAliasesExternalState(ILocalSymbol local, int hops)
    {
        // A struct local is a copy: changing it changes nothing outside the method.
        if ((local.Type.IsValueType && !local.IsRef)
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value }
            || value.SyntaxTree != model.SyntaxTree)
        {
            return false;
        }

        var initializer = model.GetOperation(value, cancellationToken);
        return initializer is not null && IsExternalState(initializer, hops);
    }

    private IOperation? ReadableBody(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        definition = definition.PartialImplementationPart ?? definition;
        if (definition.IsAbstract || definition.IsExtern)
        {
            return null;
        }

        foreach (var reference in definition.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree)
            {
                continue;
            }

            var syntax = reference.GetSyntax(cancellationToken);
            if (syntax is BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null })
            {
                continue;
            }

            if (model.GetOperation(syntax, cancellationToken) is { } body)
            {
                return body;
            }
        }

        return null;
    }

    private string? DescribeHttpSend(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name != "HttpRequestMessage")
            {
                continue;
            }

            var value = argument.Value.UnwrapAllConversions();

            if (value is ILocalReferenceOperation local
                && local.Local.DeclaringSyntaxReferences.Length == 1
                && local.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                && initializer.SyntaxTree == model.SyntaxTree)
            {
                value = model.GetOperation(initializer, cancellationToken).UnwrapAllConversions();
            }

            if (value is not IObjectCreationOperation creation)
            {
                return null;
            }

            var verb = HttpVerb(creation);
            return verb is null or "Get" or "Head"
                ? null
                : "sends an HTTP " + verb.ToUpperInvariant() + " (" + invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name + ")";
        }

        return null;
    }

    private static string? HttpVerb(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Value is IPropertyReferenceOperation { Property: { IsStatic: true, ContainingType.Name: "HttpMethod" } method })
            {
                return method.Name;
            }
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var element in initializer.Initializers)
            {
                if (element is ISimpleAssignmentOperation assignment
                    && assignment.Target is IPropertyReferenceOperation { Property.Name: "Method" }
                    && assignment.Value is IPropertyReferenceOperation { Property: { IsStatic: true, ContainingType.Name: "HttpMethod" } verb })
                {
                    return verb.Name;
                }
            }
        }

        return null;
    }

    private static string Short(SyntaxNode syntax)
    {
        var text = syntax.ToString();
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
