using System.Collections.Immutable;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// AG0003: text that changes from call to call placed ahead of text that does not, in what the provider reads
/// first — so the provider's prompt cache, which matches the longest exact prefix, misses on every call.
/// </summary>
/// <remarks>
/// Reported: a system or developer message, instructions (<c>ChatOptions.Instructions</c>, the OpenAI Responses
/// API's <c>CreateResponseOptions.Instructions</c>, Microsoft Agent Framework's <c>instructions</c>), an Anthropic
/// <c>System</c> prompt or a Semantic Kernel prompt template whose first variable part precedes at least
/// <c>AG0003.min_stable_length</c> characters of constant text; any message whose clock, GUID or random value precedes
/// that much constant text; a message or system block with variable content ahead of constant ones (or of a cache
/// breakpoint); a message inserted at index 0 of a history that starts with a constant system message; and a tool
/// list built from a <c>HashSet</c> or in random order. Not reported: constant interpolated strings, configuration
/// read through members, variable text after the stable text, and user messages whose variable parts are ordinary
/// input. Every diagnostic carries the <see cref="PromptFixProperties"/> its fix needs, when it has one.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class VariablePromptPrefixAnalyzer : AgentGuardAnalyzer
{
    private const string MoveAfterStableText = "move the variable part after the stable text";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix);

    /// <inheritdoc/>
    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var prompts = new PromptSymbols(symbols);
        if (prompts.HasMessageTypes || prompts.HasPromptArguments)
        {
            context.RegisterOperationAction(c => AnalyzeObjectCreation(c, prompts), OperationKind.ObjectCreation);
            context.RegisterOperationAction(c => AnalyzeInvocation(c, prompts), OperationKind.Invocation);
        }

        if (prompts.HasMessageTypes)
        {
            context.RegisterSyntaxNodeAction(
                c => AnalyzeMessageCollection(c, prompts),
                SyntaxKind.CollectionExpression,
                SyntaxKind.CollectionInitializerExpression,
                SyntaxKind.ArrayInitializerExpression);
        }

        if (prompts.HasOptionsTypes)
        {
            context.RegisterOperationAction(c => AnalyzeOptionsAssignment(c, prompts), OperationKind.SimpleAssignment);
        }

        if (prompts.HasOptionsTypes || prompts.ChatCompletionOptions is not null)
        {
            context.RegisterOperationAction(c => AnalyzeToolLoop(c, prompts), OperationKind.Loop);
        }
    }

    private static void AnalyzeObjectCreation(OperationAnalysisContext context, PromptSymbols prompts)
    {
        if (context.Operation is not IObjectCreationOperation creation)
        {
            return;
        }

        if (PromptMessage.From(creation, prompts) is { } message)
        {
            AnalyzeText(context, message.Content, volatileOnly: !message.IsSystem);
            return;
        }

        if (prompts.ChatClientAgent is { } agent && SymbolEqualityComparer.Default.Equals(creation.Type, agent))
        {
            // new ChatClientAgent(chatClient, instructions: …, tools: …)
            AnalyzeAgentArguments(context, creation.Arguments);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, PromptSymbols prompts)
    {
        if (context.Operation is not IInvocationOperation invocation)
        {
            return;
        }

        if (PromptMessage.From(invocation, prompts) is { } created)
        {
            AnalyzeText(context, created.Content, volatileOnly: !created.IsSystem);
            return;
        }

        if (PromptMessage.FromHistoryAdd(invocation, prompts) is { } added)
        {
            // A system message added after another one is not the head of the prompt: the one before it is, and
            // the provider caches it whatever follows.
            AnalyzeText(context, added.Content, volatileOnly: !added.IsSystem || FollowsASystemMessage(invocation));
            return;
        }

        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Insert":
                AnalyzeInsertAtStart(context, invocation, prompts);
                break;
            case "AsAIAgent" when Is(method.ContainingType, prompts.AgentChatClientExtensions):
                AnalyzeAgentArguments(context, invocation.Arguments);
                break;
            case "InvokePromptAsync" or "InvokePromptStreamingAsync" or "CreateFunctionFromPrompt" when Is(method.ContainingType, prompts.KernelExtensions):
            case "CreateFromPrompt" when Is(method.ContainingType, prompts.KernelFunctionFactory):
                AnalyzeTemplate(context, invocation);
                break;
        }
    }

    /// <summary>
    /// Whether an earlier statement of the same block gives the same history a system message (or creates it with one):
    /// <c>history.AddSystemMessage(stable); history.AddSystemMessage($"… {query} …");</c>.
    /// </summary>
    private static bool FollowsASystemMessage(IInvocationOperation add)
    {
        if (add.Instance?.Syntax is not IdentifierNameSyntax history
            || add.Syntax.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
        {
            return false;
        }

        var name = history.Identifier.ValueText;
        foreach (var earlier in block.Statements)
        {
            if (earlier == statement)
            {
                return false;
            }

            switch (earlier)
            {
                case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: "AddSystemMessage" or "AddDeveloperMessage" } } }
                    when receiver.Identifier.ValueText == name:
                    return true;

                case LocalDeclarationStatementSyntax declaration:
                    foreach (var variable in declaration.Declaration.Variables)
                    {
                        if (variable.Identifier.ValueText == name
                            && variable.Initializer?.Value is BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 })
                        {
                            // new ChatHistory(systemMessage)
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>Agent Framework's <c>instructions</c> lead every request the agent sends; its <c>tools</c> follow them.</summary>
    private static void AnalyzeAgentArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.Name == "instructions" && parameter.Type.SpecialType == SpecialType.System_String)
            {
                AnalyzeText(context, argument.Value, volatileOnly: false);
            }
            else if (parameter.Name == "tools")
            {
                AnalyzeTools(context, argument.Value);
            }
        }
    }

    private static void AnalyzeOptionsAssignment(OperationAnalysisContext context, PromptSymbols prompts)
    {
        // The name first: it rules out nearly every assignment without looking at a type.
        if (context.Operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
            || target.Property.Name is not ("Instructions" or "Tools" or "System"))
        {
            return;
        }

        var type = target.Property.ContainingType;
        var name = target.Property.Name;
        if (prompts.ChatOptions is { } chatOptions && type.IsOrDerivesFrom(chatOptions))
        {
            if (name == "Instructions")
            {
                // Sent as the very first system message.
                AnalyzeText(context, assignment.Value, volatileOnly: false);
            }
            else if (name == "Tools")
            {
                AnalyzeTools(context, assignment.Value);
            }
        }
        else if (name == "Instructions" && Is(type, prompts.ResponseOptions))
        {
            // The Responses API sends instructions ahead of the input items.
            AnalyzeText(context, assignment.Value, volatileOnly: false);
        }
        else if (name == "System" && Is(type, prompts.AnthropicMessageCreateParams))
        {
            AnalyzeAnthropicSystem(context, assignment.Value, prompts);
        }
    }

    private static void AnalyzeText(OperationAnalysisContext context, IOperation content, bool volatileOnly)
    {
        var model = context.Operation.SemanticModel;
        if (model is null)
        {
            return;
        }

        var text = PromptText.Read(content, model, context.CancellationToken);
        if (text.FirstVariableBeforeStableText(volatileOnly) is not { } found)
        {
            return;
        }

        var minimum = MinStableLength(context.Options, model.SyntaxTree);
        if (found.StableAfter < minimum)
        {
            return;
        }

        var subject = found.Part.VolatileSource ?? "The variable part '" + Short(found.Part.Node) + "'";
        var properties = ImmutableDictionary<string, string?>.Empty;
        Location[]? additional = null;
        if (text.RewriteTarget is { } target && text.RewriteFix is { } fix && target.SyntaxTree == model.SyntaxTree)
        {
            properties = properties.Add(PromptFixProperties.Fix, fix);
            additional = new[] { target.GetLocation() };
        }

        // Report at the variable part when it is written here; when it came through a local or a StringBuilder, at
        // the prompt's use, so the diagnostic stays local to the code that sends it.
        var location = found.Part.Node.SyntaxTree == context.Operation.Syntax.SyntaxTree
            && context.Operation.Syntax.Span.Contains(found.Part.Node.Span)
            ? found.Part.Node.GetLocation()
            : content.Syntax.GetLocation();
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            location,
            additional,
            properties,
            subject,
            found.StableAfter.ToString(CultureInfo.InvariantCulture) + " characters of stable prompt text",
            MoveAfterStableText));
    }

    private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? target)
        => type is not null && target is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    private static int MinStableLength(AnalyzerOptions options, SyntaxTree tree)
        => EditorConfigOptions.GetInt(options, tree, EditorConfigOptions.MinStableLengthKey, EditorConfigOptions.DefaultMinStableLength);

    private static string Short(SyntaxNode node) => Short(node.ToString());

    private static string Short(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";
}
