using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace AgentGuard.Analyzers.Tests.Infrastructure;

/// <summary>
/// The references every test compilation gets: the .NET 8 reference pack (pinned to a patch the package registry
/// serves; the testing library's default asks for 8.0.0, which it does not), the model SDKs AgentGuard recognises,
/// and the AgentGuard runtime.
/// </summary>
public static class TestReferences
{
    // On a fresh machine the first resolution downloads the packages, and what it returns can lack some of their
    // assemblies (seen: Anthropic and Polly.Core missing from every test of that run). The catalogs are resolved once
    // as throwaway copies first, so the ones the tests use are resolved from a complete package folder.
    static TestReferences()
    {
        Task.Run(async () =>
        {
            // Catalogs built by another type: touching this one from that thread would wait for this constructor.
            await ReferenceCatalogs.WithModelApis().ResolveAsync(LanguageNames.CSharp, CancellationToken.None).ConfigureAwait(false);
            await ReferenceCatalogs.Plain().ResolveAsync(LanguageNames.CSharp, CancellationToken.None).ConfigureAwait(false);
        }).GetAwaiter().GetResult();
    }

    /// <summary>.NET 8 with Microsoft.Extensions.AI, Semantic Kernel (core and the OpenAI connector), Microsoft Agent Framework, and the OpenAI and Anthropic SDKs.</summary>
    public static ReferenceAssemblies WithModelApis { get; } = ReferenceCatalogs.WithModelApis();

    /// <summary>.NET 8 alone: a project that makes no model calls.</summary>
    public static ReferenceAssemblies Plain { get; } = ReferenceCatalogs.Plain();

    /// <summary>The AgentGuard runtime assembly (attributes, ledger, budgets) as test compilations see it.</summary>
    public static MetadataReference AgentGuardRuntime { get; } =
        MetadataReference.CreateFromFile(typeof(AgentGuard.AgentToolAttribute).Assembly.Location);
}

/// <summary>Builds the reference catalogs; stateless, so any thread may call it while <see cref="TestReferences"/> initializes.</summary>
internal static class ReferenceCatalogs
{
    public static ReferenceAssemblies WithModelApis()
        => new ReferenceAssemblies(
                "net8.0",
                new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
                Path.Combine("ref", "net8.0"))
            .AddPackages(ImmutableArray.Create(
                new PackageIdentity("Microsoft.Extensions.AI", "10.11.0"),
                new PackageIdentity("Microsoft.SemanticKernel.Abstractions", "1.82.0"),
                new PackageIdentity("Microsoft.SemanticKernel.Core", "1.82.0"),
                new PackageIdentity("Microsoft.SemanticKernel.Connectors.OpenAI", "1.82.0"),
                new PackageIdentity("Microsoft.Agents.AI", "1.28.0"),
                new PackageIdentity("Microsoft.Agents.AI.Workflows", "1.28.0"),
                new PackageIdentity("OpenAI", "2.15.0"),
                new PackageIdentity("Anthropic", "13.12.0"),
                new PackageIdentity("Polly.Core", "8.9.1")));

    public static ReferenceAssemblies Plain()
        => new ReferenceAssemblies(
            "net8.0",
            new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
            Path.Combine("ref", "net8.0"));
}
