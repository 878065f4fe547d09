using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentGuard.Analyzers.Tests.Robustness;

/// <summary>A well-known type defined more than once (a polyfill) still resolves to the type the compilation means.</summary>
public sealed class WellKnownTypesTests
{
    private const string Polyfill = /* lang=c#-test */ """
        namespace System.Threading.Channels
        {
            {0} abstract class ChannelReader<T> { }
        }
        """;

    [Fact]
    public void TypeInTwoReferences_NoneOwn_IsAmbiguous()
    {
        var compilation = Compile("User", "", Library("A", "public"), Library("B", "public"));

        Assert.Null(WellKnownTypes.GetBestTypeByMetadataName(compilation, WellKnownTypeNames.ChannelReader));
    }

    [Fact]
    public void TypeInTwoReferences_OneInternal_ResolvesToTheAccessibleOne()
    {
        var compilation = Compile("User", "", Library("A", "internal"), Library("B", "public"));

        var type = WellKnownTypes.GetBestTypeByMetadataName(compilation, WellKnownTypeNames.ChannelReader);

        Assert.Equal("B", type?.ContainingAssembly.Name);
    }

    [Fact]
    public void TypeInReferencesAndOwnAssembly_ResolvesToOwn()
    {
        var compilation = Compile("User", Polyfill.Replace("{0}", "internal"), Library("A", "public"), Library("B", "public"));

        var type = WellKnownTypes.GetBestTypeByMetadataName(compilation, WellKnownTypeNames.ChannelReader);

        Assert.Equal("User", type?.ContainingAssembly.Name);
    }

    [Fact]
    public void Table_ResolvesEachNameOnce()
    {
        var compilation = Compile("User", "", Library("B", "public"));
        var types = WellKnownTypes.For(compilation);

        Assert.Same(types, WellKnownTypes.For(compilation));
        Assert.Same(types.Get(WellKnownTypeNames.ChannelReader), types.Get(WellKnownTypeNames.ChannelReader));
        Assert.Null(types.Get(WellKnownTypeNames.Kernel));
    }

    private static MetadataReference Library(string name, string accessibility)
        => Compile(name, Polyfill.Replace("{0}", accessibility)).ToMetadataReference();

    private static CSharpCompilation Compile(string name, string source, params MetadataReference[] references)
        => CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location), .. references],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
