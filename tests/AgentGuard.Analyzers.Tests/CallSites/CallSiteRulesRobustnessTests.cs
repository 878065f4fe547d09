using System.Collections.Immutable;
using AgentGuard.Analyzers.CallSites;
using AgentGuard.Analyzers.Prompts;
using AgentGuard.Analyzers.Tests.Infrastructure;
using AgentGuard.Analyzers.Tools;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Tests.CallSites;

/// <summary>Half-typed and broken code is the normal case in an editor: AG0002–AG0004 must never throw on it.</summary>
public sealed class CallSiteRulesRobustnessTests
{
    public static TheoryData<string> BrokenSources() => new()
    {
        """
        using Microsoft.Extensions.AI;
        class A { async void M(IChatClient client) { await client.GetResponseAsync( } }
        """,
        """
        using Microsoft.Extensions.AI;
        class A { ChatOptions _o = new() { MaxOutputTokens = }; async void M(IChatClient c) { await c.GetResponseAsync("x", _o, ); } }
        """,
        """
        using Microsoft.Extensions.AI;
        class A { async void M(IChatClient c) { ChatOptions o; await c.GetResponseAsync("x", o); o = new ChatOptions(; } }
        """,
        """
        using OpenAI.Chat;
        class A { void M(ChatClient c) { c.CompleteChat(); c.CompleteChat(new UserChatMessage( ); c.CompleteChat(null, null); } }
        """,
        """
        using Microsoft.SemanticKernel.ChatCompletion;
        class A { void M(IChatCompletionService s) { s.GetChatMessageContentAsync(null!, null, null); s.GetChatMessageContentsAsync( } }
        """,
        """
        using System; using System.Text; using Microsoft.Extensions.AI;
        class A
        {
            ChatMessage M(string x)
            {
                var sb = new StringBuilder(x);
                sb.AppendFormat("{0", x).AppendFormat("{9} this is a long constant tail for the analyzer", x).Append(;
                _ = new ChatMessage(ChatRole.System, string.Format("{5} a long constant tail that should be long enough", x));
                _ = new ChatMessage(ChatRole.System, string.Format(format: null, args: null));
                return new ChatMessage(ChatRole.System, $"{DateTime.Now} {undefined} a long tail of text that is stable {");
            }
        }
        """,
        """
        using System.Collections.Generic; using Microsoft.Extensions.AI;
        class A
        {
            void M(ChatOptions o, string q)
            {
                o.Tools = new HashSet<;
                o.Instructions = q + ;
                var h = new List<ChatMessage> { new(ChatRole.System, "You are a very stable system message for tests."), };
                h.Insert(0, new ChatMessage(ChatRole.System, q + ));
                h.Insert(, );
                List<ChatMessage> l = [new(ChatRole.User, q), .. h, new(ChatRole.System, missing)];
            }
        }
        """,
        """
        using System.IO; using System.Threading.Tasks; using AgentGuard;
        partial class Agent
        {
            [AgentTool(Cacheable = )] public void A() { }
            [AgentTool(Cacheable = true)] public string B() => _missing.SaveAsync(;
            [AgentTool(Cacheable = true)] public string C() { Helper(); return D(); }
            [AgentTool(Cacheable = true)] public string D() { C(); File.WriteAllText(; return ""; }
            [AgentTool(Cacheable = true)] public partial string E();
            [AgentTool(Cacheable = true)] public int F() { this.x++; Unknown.Value = 1; return x; }
            [AgentTool(Cacheable = true)] public async Task<int> G(System.Net.Http.HttpClient h) { await h.SendAsync(null); return 1; }
            private void Helper() => Helper();
        }
        """,
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public async Task BrokenCode_AnalyzersDoNotThrow_DoesNotReport(string source)
    {
        var references = await TestReferences.WithModelApis.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            "Broken",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references.Add(TestReferences.AgentGuardRuntime),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
            new MissingOutputTokenCapAnalyzer(),
            new VariablePromptPrefixAnalyzer(),
            new SideEffectingCacheableToolAnalyzer());

        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }
}
