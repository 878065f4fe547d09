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
    // Resolve (and on a fresh machine, download and extract) the packages once, before any test uses them: tests
    // resolving them in parallel on an empty package cache can see a half-extracted package and compile without it.
    static TestReferences()
    {
        // Locals: another thread reading this type's statics would wait for this constructor, which waits for it.
        var withModelApis = WithModelApis;
        var plain = Plain;
        Task.Run(async () =>
        {
            await withModelApis.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).ConfigureAwait(false);
            await plain.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).ConfigureAwait(false);
        }).GetAwaiter().GetResult();
    }

    /// <summary>.NET 8 with Microsoft.Extensions.AI and the model SDKs AgentGuard recognises.</summary>
    public static ReferenceAssemblies WithModelApis { get; } =
        new ReferenceAssemblies(
                "net8.0",
                new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
                Path.Combine("ref", "net8.0"))
            .AddPackages(ImmutableArray.Create(
                new PackageIdentity("Microsoft.Extensions.AI", "10.11.0"),
                new PackageIdentity("Microsoft.SemanticKernel.Abstractions", "1.82.0"),
                new PackageIdentity("OpenAI", "2.15.0"),
                new PackageIdentity("Anthropic", "13.12.0"),
                new PackageIdentity("Polly.Core", "8.9.1")));

    /// <summary>.NET 8 alone: a project that makes no model calls.</summary>
    public static ReferenceAssemblies Plain { get; } =
        new ReferenceAssemblies(
            "net8.0",
            new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"),
            Path.Combine("ref", "net8.0"));

    /// <summary>The AgentGuard runtime assembly (attributes, ledger, budgets) as test compilations see it.</summary>
    public static MetadataReference AgentGuardRuntime { get; } =
        MetadataReference.CreateFromFile(typeof(AgentGuard.AgentToolAttribute).Assembly.Location);
}
