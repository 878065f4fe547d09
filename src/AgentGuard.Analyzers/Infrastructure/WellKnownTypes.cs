using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// The types of <see cref="WellKnownTypeNames"/>, resolved lazily, once per compilation: a name is looked up the
/// first time a rule asks for it, and a type the compilation does not reference resolves to <see langword="null"/>.
/// </summary>
/// <remarks>
/// The only place AgentGuard calls <c>GetTypeByMetadataName</c> (banned elsewhere by <c>BannedSymbols.txt</c>):
/// <see cref="GetBestTypeByMetadataName"/> survives a type defined twice, which the compiler's own lookup does not.
/// </remarks>
internal sealed class WellKnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Cache = new();

    private readonly Compilation compilation;
    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> resolved = new(StringComparer.Ordinal);
    private readonly Func<string, INamedTypeSymbol?> resolve;

    private WellKnownTypes(Compilation compilation)
    {
        this.compilation = compilation;
        resolve = name => GetBestTypeByMetadataName(this.compilation, name);
    }

    /// <summary>Returns the table of a compilation, creating it (empty) on first use.</summary>
    public static WellKnownTypes For(Compilation compilation)
        => Cache.GetValue(compilation, c => new WellKnownTypes(c));

    /// <summary>The type named <paramref name="metadataName"/> (one of <see cref="WellKnownTypeNames"/>), or <see langword="null"/>.</summary>
    public INamedTypeSymbol? Get(string metadataName) => resolved.GetOrAdd(metadataName, resolve);

    /// <summary>
    /// The type a compilation means by <paramref name="metadataName"/>, even when the name is defined more than once
    /// (a polyfill such as <c>IsExternalInit</c> or <c>TimeProvider</c> copied into several assemblies):
    /// <list type="number">
    /// <item>the compilation's own type, when it defines one;</item>
    /// <item>else the one type of that name in a referenced assembly the compilation can access;</item>
    /// <item>else, when several are accessible, the one in the assembly the name asks for (<c>"Type, Assembly"</c>: an
    /// extension class such as <c>Microsoft.Extensions.AI.ChatClientExtensions</c> is declared under the same name by
    /// Microsoft.Extensions.AI and by Microsoft Agent Framework);</item>
    /// <item>else the one in the core library (the assembly of <c>System.Object</c>);</item>
    /// <item>else <see langword="null"/>: the name is ambiguous, and guessing would make a rule fire on the wrong type.</item>
    /// </list>
    /// </summary>
    public static INamedTypeSymbol? GetBestTypeByMetadataName(Compilation compilation, string metadataName)
    {
        string? preferredAssembly = null;
        var comma = metadataName.IndexOf(',');
        if (comma > 0)
        {
            preferredAssembly = metadataName.Substring(comma + 1).Trim();
            metadataName = metadataName.Substring(0, comma).Trim();
        }

#pragma warning disable RS0030 // The one place the banned lookups are allowed.
        var own = compilation.Assembly.GetTypeByMetadataName(metadataName);
        if (own is not null)
        {
            return own;
        }

        var candidates = IsSystemName(metadataName)
            ? compilation.GetTypesByMetadataName(metadataName)
            : TypesInRelatedAssemblies(compilation, metadataName, preferredAssembly);
#pragma warning restore RS0030
        INamedTypeSymbol? best = null;
        var ambiguous = false;
        foreach (var candidate in candidates)
        {
            if (!IsAccessibleFrom(candidate, compilation))
            {
                continue;
            }

            if (best is null)
            {
                best = candidate;
            }
            else
            {
                ambiguous = true;
            }
        }

        if (!ambiguous)
        {
            return best;
        }

        if (preferredAssembly is not null)
        {
            foreach (var candidate in candidates)
            {
                if (candidate.ContainingAssembly.Name == preferredAssembly && IsAccessibleFrom(candidate, compilation))
                {
                    return candidate;
                }
            }
        }

        var coreLibrary = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
        foreach (var candidate in candidates)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.ContainingAssembly, coreLibrary)
                && IsAccessibleFrom(candidate, compilation))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsSystemName(string metadataName)
        => metadataName.StartsWith("System.", StringComparison.Ordinal) || metadataName.StartsWith("Microsoft.CSharp.", StringComparison.Ordinal);

    /// <summary>
    /// The types of that name in the referenced assemblies named after the type's root namespace: <c>OpenAI</c> for
    /// <c>OpenAI.Chat.ChatClient</c>, <c>Polly</c> for <c>Polly.Retry.RetryStrategyOptions</c> (in <c>Polly.Core</c>),
    /// <c>Microsoft.SemanticKernel</c> for <c>Microsoft.SemanticKernel.Kernel</c>.
    /// </summary>
    /// <remarks>
    /// Most names AgentGuard looks up belong to libraries a project does not reference. Asking every referenced
    /// assembly for them makes the compiler read the type tables of assemblies it would otherwise never open (a
    /// project references a hundred or more), which is most of what AgentGuard would cost a project with no model
    /// code. Library types live in assemblies named after their root namespace, so only those are asked, and the
    /// assembly a name names after a comma (<c>Microsoft.Extensions.AI.ChatClientExtensions, Microsoft.Agents.AI</c>).
    /// </remarks>
    private static ImmutableArray<INamedTypeSymbol> TypesInRelatedAssemblies(Compilation compilation, string metadataName, string? preferredAssembly)
    {
        var root = Root(metadataName);
        ImmutableArray<INamedTypeSymbol>.Builder? result = null;
        foreach (var reference in compilation.References)
        {
#pragma warning disable RS0030 // This is WellKnownTypes itself.
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly
                && (string.Equals(Root(assembly.Name), root, StringComparison.Ordinal) || assembly.Name == preferredAssembly)
                && assembly.GetTypeByMetadataName(metadataName) is { } type)
            {
                (result ??= ImmutableArray.CreateBuilder<INamedTypeSymbol>()).Add(type);
            }
#pragma warning restore RS0030
        }

        return result?.ToImmutable() ?? ImmutableArray<INamedTypeSymbol>.Empty;
    }

    /// <summary>The first segment of a dotted name, or the first two under <c>Microsoft</c> (<c>Microsoft.Extensions</c>).</summary>
    private static string Root(string dottedName)
    {
        var first = dottedName.IndexOf('.');
        if (first < 0)
        {
            return dottedName;
        }

        if (!dottedName.StartsWith("Microsoft.", StringComparison.Ordinal))
        {
            return dottedName.Substring(0, first);
        }

        var second = dottedName.IndexOf('.', first + 1);
        return second < 0 ? dottedName : dottedName.Substring(0, second);
    }

    private static bool IsAccessibleFrom(INamedTypeSymbol type, Compilation compilation)
    {
        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            switch (named.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    continue;
                case Accessibility.Internal:
                case Accessibility.ProtectedOrInternal:
                    if (!named.ContainingAssembly.GivesAccessTo(compilation.Assembly))
                    {
                        return false;
                    }

                    continue;
                default:
                    return false;
            }
        }

        return true;
    }
}
