using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Tests.Performance;

/// <summary>The text search the filters stand on: whole identifiers only, wherever they fall in the read buffer.</summary>
public sealed class SourceTextSearchTests
{
    [Theory]
    [InlineData("client.GetResponseAsync(x)", true)]
    [InlineData("GetResponseAsync", true)]
    [InlineData("@GetResponseAsync()", true)]
    [InlineData("client.GetResponseAsyncCore(x)", false)]
    [InlineData("MyGetResponseAsync(x)", false)]
    [InlineData("_GetResponseAsync", false)]
    [InlineData("GetResponse", false)]
    public void ContainsIdentifier_MatchesWholeIdentifiersOnly(string text, bool expected)
        => Assert.Equal(expected, SourceTextSearch.ContainsIdentifier(SourceText.From(text), "GetResponseAsync"));

    [Theory]
    [InlineData(16 * 1024 - 20)]
    [InlineData(16 * 1024 - 16)]
    [InlineData(16 * 1024 - 10)]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024)]
    [InlineData(32 * 1024 - 33)]
    public void Scan_FindsEveryOccurrenceOnce_AcrossBufferBoundaries(int position)
    {
        const string name = "GetResponseAsync";
        var chars = new string(' ', 40 * 1024).ToCharArray();
        name.CopyTo(0, chars, 3, name.Length);
        name.CopyTo(0, chars, position, name.Length);
        name.CopyTo(0, chars, chars.Length - name.Length, name.Length);
        var found = new List<int>();

        SourceTextSearch.Scan(SourceText.From(new string(chars)), name, at =>
        {
            found.Add(at);
            return true;
        });

        Assert.Equal([3, position, chars.Length - name.Length], found);
    }

    [Fact]
    public void Scan_RejectsAMatchWhoseNeighbourIsAcrossABufferBoundary()
    {
        const string name = "Create";
        var chars = new string(' ', 40 * 1024).ToCharArray();
        for (var at = 16 * 1024 - 40; at < 16 * 1024 + 40; at += 12)
        {
            // "xCreate_" : an identifier character on each side, never a whole identifier.
            chars[at] = 'x';
            name.CopyTo(0, chars, at + 1, name.Length);
            chars[at + 1 + name.Length] = '_';
        }

        Assert.False(SourceTextSearch.ContainsIdentifier(SourceText.From(new string(chars)), name));
    }
}
