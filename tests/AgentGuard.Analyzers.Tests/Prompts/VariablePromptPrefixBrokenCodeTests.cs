using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using AgentGuard.Analyzers.Prompts;
using AgentGuard.Analyzers.Tests.Infrastructure;
using AgentGuard.CodeFixes.Prompts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Tests.Prompts;

/// <summary>
/// AG0003's analyzer and every one of its fixes on half-typed code holding each shape the rule reads: the source is
/// cut at every line and has single tokens removed; nothing may throw.
/// </summary>
public sealed class VariablePromptPrefixBrokenCodeTests
{
    private const string Source = /* lang=c#-test */ """"
        #pragma warning disable OPENAI001
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Text;
        using System.Threading.Tasks;
        using Anthropic.Models.Messages;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel;
        using OpenAI.Responses;

        public sealed class Shapes(IChatClient chatClient, Kernel kernel)
        {
            private readonly HashSet<AITool> _tools = new();

            public AIAgent Agent(string user) => chatClient.AsAIAgent(instructions: $"User {user}. You are a planner. Break every goal into steps.", tools: _tools.ToList());

            public AIAgent Constructed() => new ChatClientAgent(chatClient, instructions: string.Format("Now {0}. You are a critic; find the weakest step.", DateTime.Now));

            public CreateResponseOptions Responses() => new() { Instructions = $"""
                Today: {DateTime.UtcNow:D}
                You are a travel agent; suggest three itineraries per request.
                """ };

            public MessageCreateParams Anthropic() => new()
            {
                Model = "claude-sonnet-4-5",
                MaxTokens = 512,
                System = new List<TextBlockParam>
                {
                    new TextBlockParam { Text = $"Time: {DateTime.UtcNow:O}" },
                    new TextBlockParam { Text = "Short rules.", CacheControl = new CacheControlEphemeral() },
                },
                Messages = [],
            };

            public Task<FunctionResult> Template() => kernel.InvokePromptAsync("{{time.Now}}\nSummarize the text above in three bullet points for an executive.");

            public List<Microsoft.Extensions.AI.ChatMessage> History(string question, string name)
            {
                var prompt = new StringBuilder();
                prompt.AppendLine($"Generated at {DateTime.UtcNow:O}");
                prompt.AppendLine("You are an e-commerce assistant for the eShop store.");
                var history = new List<Microsoft.Extensions.AI.ChatMessage>
                {
                    new(ChatRole.System, "You are an e-commerce assistant for the eShop store."),
                };
                history.Insert(0, new Microsoft.Extensions.AI.ChatMessage(ChatRole.System, $"Customer: {name}"));
                history.Add(new(ChatRole.System, prompt.ToString()));
                return [new(ChatRole.User, question), new(ChatRole.System, "Cite your sources and answer in English, briefly.")];
            }
        }
        """";

    [Fact]
    public async Task AnalyzerAndFixes_OnBrokenCode_DoNotThrow()
    {
        var references = (await TestReferences.WithModelApis.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).Add(TestReferences.AgentGuardRuntime);
        var failures = new List<string>();
        var whole = await AnalyzeAsync(Source, references, failures);
        Assert.Equal(
            ["Agent.instructions", "Agent.tools", "Anthropic", "Constructed", "History.builder", "History.insert", "History.list", "Responses", "Template"],
            whole.Select(Describe).Order(StringComparer.Ordinal));

        var fixed_ = 0;
        foreach (var variant in Variants())
        {
            var diagnostics = await AnalyzeAsync(variant, references, failures);
            fixed_ += await FixAsync(variant, references, diagnostics, failures);
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
        Assert.True(fixed_ > 0, "No fix was offered: the source should hold fixable diagnostics.");
    }

    /// <summary>The member a diagnostic is in, and for members with several shapes which one.</summary>
    private static string Describe(Diagnostic diagnostic)
    {
        var node = diagnostic.Location.SourceTree!.GetRoot().FindNode(diagnostic.Location.SourceSpan);
        var member = node.AncestorsAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First().Identifier.ValueText;
        var text = node.ToString();
        return member switch
        {
            "Agent" => text.Contains("_tools", StringComparison.Ordinal) ? "Agent.tools" : "Agent.instructions",
            "History" => text.Contains("Insert", StringComparison.Ordinal) ? "History.insert" : text.Contains("prompt", StringComparison.Ordinal) ? "History.builder" : "History.list",
            _ => member,
        };
    }

    private static IEnumerable<string> Variants()
    {
        yield return Source;
        for (var end = Source.IndexOf('\n'); end > 0; end = Source.IndexOf('\n', end + 1))
        {
            yield return Source.Substring(0, end);
        }

        var tokens = CSharpSyntaxTree.ParseText(Source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        for (var i = 0; i < tokens.Count; i += 7)
        {
            yield return Source.Remove(tokens[i].SpanStart, tokens[i].Span.Length);
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string text, ImmutableArray<MetadataReference> references, List<string> failures)
    {
        var compilation = CSharpCompilation.Create(
            "Broken",
            [CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Shapes.cs")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new CompilationWithAnalyzersOptions(
            // The source's template is short: judge it as if its stable text were long enough to be cached.
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new SingleKeyOptions("AG0003.min_template_stable_length", "32")),
            onAnalyzerException: (exception, _, _) => failures.Add(exception + "\n--- source ---\n" + text),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers([new VariablePromptPrefixAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
        {
            failures.Add(diagnostic + "\n--- source ---\n" + text);
        }

        return diagnostics;
    }

    private static async Task<int> FixAsync(string text, ImmutableArray<MetadataReference> references, ImmutableArray<Diagnostic> diagnostics, List<string> failures)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var document = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Broken", "Broken", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: references))
            .AddDocument(documentId, "Shapes.cs", SourceText.From(text), filePath: "/0/Shapes.cs")
            .GetDocument(documentId)!;

        var provider = new VariablePromptPrefixCodeFixProvider();
        var offered = 0;
        foreach (var diagnostic in diagnostics.Where(d => d.Id == DiagnosticIds.VariableContentBeforeCacheablePrefix))
        {
            try
            {
                var actions = new List<CodeAction>();
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                foreach (var action in actions)
                {
                    await action.GetOperationsAsync(CancellationToken.None);
                    offered++;
                }
            }
            catch (Exception exception)
            {
                failures.Add(exception + " on " + diagnostic + "\n--- source ---\n" + text);
            }
        }

        return offered;
    }

    /// <summary>Analyzer options whose global section holds one key.</summary>
    private sealed class SingleKeyOptions(string key, string value) : AnalyzerConfigOptionsProvider
    {
        private readonly Options options = new(key, value);

        public override AnalyzerConfigOptions GlobalOptions => options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;

        private sealed class Options(string key, string value) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string name, [NotNullWhen(true)] out string? result)
            {
                result = name == key ? value : null;
                return result is not null;
            }
        }
    }
}
