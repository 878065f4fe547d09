using System;
using System.Collections.Concurrent;
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

        var candidates = compilation.GetTypesByMetadataName(metadataName);
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
