using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// A syntax-only over-approximation of what <see cref="ModelCallReachability"/> can find: whether code can reach a
/// model call within <see cref="ModelCallReachability.MaxDepth"/> calls, judged from the names it invokes, before
/// any symbol is bound. The loop rules ask it first and run their exact analysis only on the code it lets through.
/// </summary>
/// <remarks>
/// <para>
/// The exact analysis binds method bodies and follows calls into the compilation's own methods. Without a filter
/// that is proportional to the whole project: every loop and every call to a source method would have its callees'
/// bodies bound. This index rules code out from names alone, so the exact analysis runs on agent code only.
/// </para>
/// <para>
/// A method is known by its simple name (a constructor as <c>.ctor</c>, a getter as <c>get_P</c>, as
/// <see cref="ISymbol.Name"/> spells them); the methods that share a name (overloads, methods of different types)
/// are merged. A body invokes the names written in it (lambdas included; a local function's body is its own).
/// The names that reach a model call within <c>k</c> bodies are built backwards from the model-call names of the
/// catalogue (and of <c>agentguard.model_call_methods</c>): level <c>k</c> adds every method whose body invokes a
/// name added at level <c>k − 1</c>. Merging by name and ignoring receivers only ever adds names, so what the index
/// rules out, the exact analysis would not find either.
/// </para>
/// <para>
/// The cost follows the agent code: at each level, the files' text is searched for the names the level before added,
/// and each occurrence is resolved by finding its token, which realizes only the nodes from that token up to its
/// method. No tree is walked, and a project with no model call in its text touches no syntax at all.
/// Once code is let through, the exact analysis follows its calls as it always did, pacing calls (a person at the
/// console, a queue) included: those are common names (<c>Read</c>, <c>Take</c>), and judging them by name would
/// cost more than binding the few helpers an agent loop calls.
/// </para>
/// </remarks>
internal sealed class CallNameIndex
{
    private const int MaxDepth = ModelCallReachability.MaxDepth;

    private readonly AgentGuardSymbols symbols;

    // Levels[k]: the names that reach a model call within k bodies (Levels[0]: the model-call names themselves).
    private readonly Lazy<HashSet<string>[]> levels;

    // The names each method's own body invokes, for the recursion check.
    private readonly ConcurrentDictionary<IMethodSymbol, HashSet<string>> invokedByMethod = new(SymbolEqualityComparer.Default);

    public CallNameIndex(AgentGuardSymbols symbols)
    {
        this.symbols = symbols;
        levels = new Lazy<HashSet<string>[]>(BuildLevels, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Whether <paramref name="method"/>, called <paramref name="depth"/> calls below the code being judged, can reach
    /// a model call.
    /// </summary>
    public bool MayReachModelCall(IMethodSymbol method, int depth)
    {
        var names = levels.Value[Math.Max(0, MaxDepth - depth)];
        return names.Count > 0 && names.Contains(NameOf(method));
    }

    /// <summary>Whether the source invokes a model-call name anywhere: when not, nothing can reach a model call.</summary>
    public bool AnyModelCall => levels.Value[MaxDepth].Count > 0;

    /// <summary>Whether the code of <paramref name="node"/> (a loop, a body) can reach a model call.</summary>
    public bool MayReachModelCall(SyntaxNode node)
    {
        var names = levels.Value[MaxDepth];
        if (names.Count == 0)
        {
            return false;
        }

        foreach (var descendant in node.DescendantNodesAndSelf())
        {
            if (InvokedName(descendant) is { } name && names.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the body of <paramref name="caller"/> itself (not of the other methods that share its name) invokes a
    /// method named like <paramref name="callee"/>.
    /// </summary>
    public bool MayCall(IMethodSymbol caller, IMethodSymbol callee)
        => invokedByMethod.GetOrAdd(caller, static method => InvokedNames(method.DeclaringSyntaxReferences)).Contains(NameOf(callee));

    /// <summary>
    /// The name the index knows <paramref name="method"/> by: its simple name, or for an explicit interface
    /// implementation, the name of the member it implements.
    /// </summary>
    public static string NameOf(IMethodSymbol method)
        => method.MethodKind == MethodKind.ExplicitInterfaceImplementation && method.ExplicitInterfaceImplementations.Length > 0
            ? method.ExplicitInterfaceImplementations[0].Name
            : method.Name;

    // ----- backwards from the model calls -----------------------------------------------------------------------

    private HashSet<string>[] BuildLevels()
    {
        var result = new HashSet<string>[MaxDepth + 1];
        var reached = new HashSet<string>(symbols.ModelCallNames, StringComparer.Ordinal);
        result[0] = new HashSet<string>(reached, StringComparer.Ordinal);
        var trees = new List<SyntaxTree>(symbols.Compilation.SyntaxTrees);
        var frontier = new List<string>(reached);
        var anyModelCall = false;
        for (var level = 1; level <= MaxDepth; level++)
        {
            var added = new List<string>();
            if (frontier.Count > 0)
            {
                foreach (var tree in trees)
                {
                    var text = tree.GetText();
                    SyntaxNode? root = null;
                    foreach (var name in frontier)
                    {
                        SourceTextSearch.Scan(text, name, at =>
                        {
                            root ??= tree.GetRoot();
                            if (InvocationAt(root, at, name) is not { } invocation)
                            {
                                return true;
                            }

                            anyModelCall = true;
                            if (EnclosingUnitName(invocation) is { } unit && reached.Add(unit))
                            {
                                added.Add(unit);
                            }

                            return true;
                        });
                    }
                }
            }

            if (!anyModelCall)
            {
                // No model-call name is invoked anywhere in the source: nothing can reach a model call, and no loop
                // needs even a look at its syntax.
                var none = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i <= MaxDepth; i++)
                {
                    result[i] = none;
                }

                return result;
            }

            result[level] = new HashSet<string>(reached, StringComparer.Ordinal);
            frontier = added;
        }

        return result;
    }

    /// <summary>
    /// The invocation whose called name (<c>M(…)</c>, <c>x.M(…)</c>, <c>x?.M(…)</c>, <c>M&lt;T&gt;(…)</c>) is the
    /// identifier at <paramref name="position"/>, if it is one. Only the nodes from the token up are realized: no tree walk.
    /// </summary>
    private static InvocationExpressionSyntax? InvocationAt(SyntaxNode root, int position, string name)
    {
        var token = root.FindToken(position);
        if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != name || token.Parent is not SimpleNameSyntax simpleName)
        {
            return null;
        }

        ExpressionSyntax invoked = simpleName.Parent switch
        {
            MemberAccessExpressionSyntax memberAccess when memberAccess.Name == simpleName => memberAccess,
            MemberBindingExpressionSyntax memberBinding => memberBinding,
            _ => simpleName,
        };
        return invoked.Parent is InvocationExpressionSyntax invocation && invocation.Expression == invoked ? invocation : null;
    }

    /// <summary>
    /// The name of the method, accessor or local function whose body <paramref name="node"/> is in, as
    /// <see cref="ISymbol.Name"/> spells it; <see langword="null"/> in a field initializer, an operator or a finalizer
    /// (never invoked by name).
    /// </summary>
    private static string? EnclosingUnitName(SyntaxNode node)
    {
        for (var parent = node.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case LocalFunctionStatementSyntax localFunction:
                    return localFunction.Identifier.ValueText;
                case MethodDeclarationSyntax method:
                    return method.Identifier.ValueText;
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Modifiers.Any(SyntaxKind.StaticKeyword) ? WellKnownMemberNames.StaticConstructorName : WellKnownMemberNames.InstanceConstructorName;
                case AccessorDeclarationSyntax accessor:
                    return AccessorName(accessor.Keyword.ValueText, accessor.Parent?.Parent);
                case ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax or IndexerDeclarationSyntax } arrow:
                    return AccessorName("get", arrow.Parent);
                case BaseMethodDeclarationSyntax or BaseTypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static string? AccessorName(string keyword, SyntaxNode? member)
    {
        var name = member switch
        {
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            EventDeclarationSyntax @event => @event.Identifier.ValueText,
            IndexerDeclarationSyntax => WellKnownMemberNames.Indexer,
            _ => null,
        };
        return name is null
            ? null
            : keyword switch
            {
                "get" => "get_" + name,
                "set" or "init" => "set_" + name,
                "add" => "add_" + name,
                "remove" => "remove_" + name,
                _ => null,
            };
    }

    /// <summary>The distinct names the given declarations invoke.</summary>
    private static HashSet<string> InvokedNames(IReadOnlyList<SyntaxReference> declarations)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declaration in declarations)
        {
            foreach (var node in declaration.GetSyntax().DescendantNodes())
            {
                if (InvokedName(node) is { } invoked)
                {
                    names.Add(invoked);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The simple name a node invokes: <c>M(…)</c>, <c>x.M(…)</c>, <c>x?.M(…)</c>, <c>M&lt;T&gt;(…)</c>, and the
    /// <c>Add</c> a collection initializer calls.
    /// </summary>
    private static string? InvokedName(SyntaxNode node)
    {
        switch (node)
        {
            case InvocationExpressionSyntax invocation:
                return invocation.Expression switch
                {
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    MemberAccessExpressionSyntax memberAccess => memberAccess.Name.Identifier.ValueText,
                    MemberBindingExpressionSyntax memberBinding => memberBinding.Name.Identifier.ValueText,
                    _ => null,
                };
            case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.CollectionInitializerExpression):
                return "Add";
            default:
                return null;
        }
    }
}
