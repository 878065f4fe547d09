using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Collections.Immutable;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// AG0002: a model call whose options are missing or provably lack the output-token cap.
/// </summary>
/// <remarks>
/// Precision over recall. The analyzer reports only when it can see every value the options can have: no options
/// or <c>null</c>; a <c>new …Options { … }</c> of the SDK's own type at the call, or in a local, private field or
/// private auto-property whose every assignment it can read, none of which sets the cap, and on which nothing
/// else touches the cap or could (the variable is never passed anywhere but to a model call). It is silent for
/// options from parameters, method results and anything else it cannot read, and for Microsoft.Extensions.AI and
/// Semantic Kernel calls made on a client that a capped pipeline provably reaches (<see cref="CappedClientReach"/>):
/// one built by <c>UseAgentGuard</c>, <c>ConfigureOptions</c> setting <c>MaxOutputTokens</c> or
/// <c>BudgetChatClient</c> into the same local, field or property, or one injected under a DI key that the project
/// registers only with such pipelines.
/// Anthropic's <c>MessageCreateParams</c> requires <c>MaxTokens</c>, so Anthropic calls always carry a cap.
/// Semantic Kernel's base <c>PromptExecutionSettings</c> keeps the cap in connector-specific
/// <c>ExtensionData</c>, so only Semantic Kernel calls with no settings or <c>null</c> are reported.
/// </remarks>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class MissingOutputTokenCapAnalyzer : AgentGuardAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0002_MissingOutputTokenCap);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var extensionsAi = symbols.ChatOptions is { } chatOptions
            ? new OutputCapApi(chatOptions, "MaxOutputTokens", "ChatOptions.MaxOutputTokens", hasFix: true, honoursClientPipeline: true)
            : null;
        var openAi = symbols.OpenAIChatCompletionOptions is { } completionOptions
            ? new OutputCapApi(completionOptions, "MaxOutputTokenCount", "ChatCompletionOptions.MaxOutputTokenCount", hasFix: true, honoursClientPipeline: false)
            : null;
        var semanticKernel = symbols.PromptExecutionSettings is { } settings
            ? new OutputCapApi(settings, "MaxTokens", "MaxTokens on the execution settings", hasFix: false, honoursClientPipeline: true)
            : null;

        var clientReach = new CappedClientReach(context.Compilation, symbols.ChatClient);
        var memberDefinitions = new ConcurrentDictionary<ISymbol, OptionsDefinition>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(
            c => AnalyzeInvocation(c, symbols, extensionsAi, openAi, semanticKernel, clientReach, memberDefinitions),
            OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(
        OperationAnalysisContext context,
        AgentGuardSymbols symbols,
        OutputCapApi? extensionsAi,
        OutputCapApi? openAi,
        OutputCapApi? semanticKernel,
        CappedClientReach clientReach,
        ConcurrentDictionary<ISymbol, OptionsDefinition> memberDefinitions)
    {
        if (context.Operation is not IInvocationOperation invocation
            || invocation.Syntax is not InvocationExpressionSyntax invocationSyntax
            || !symbols.IsModelCall(invocation.TargetMethod))
        {
            return;
        }

        IArgumentOperation? optionsArgument = null;
        OutputCapApi? api = null;
        foreach (var argument in invocation.Arguments)
        {
            var parameterType = argument.Parameter?.Type;
            if (parameterType is null)
            {
                continue;
            }

            api = Match(parameterType, extensionsAi) ?? Match(parameterType, openAi) ?? Match(parameterType, semanticKernel);
            if (api is not null)
            {
                optionsArgument = argument;
                break;
            }
        }

        if (optionsArgument is null || api is null)
        {
            AnalyzeOptionlessOverload(context, invocation, invocationSyntax, symbols, openAi);
            return;
        }

        if (api.HonoursClientPipeline && clientReach.Reaches(invocation, context.CancellationToken))
        {
            return;
        }

        if (optionsArgument.ArgumentKind == ArgumentKind.DefaultValue || optionsArgument.IsImplicit)
        {
            var positional = IsNextPositionalParameter(invocation, invocationSyntax, optionsArgument);
            Report(context, invocationSyntax.GetLocation(), api, OutputCapProperties.FixAddArgument, fixTarget: null, optionsArgument.Parameter?.Name, positional);
            return;
        }

        var model = invocation.SemanticModel;
        if (model is null)
        {
            return;
        }

        var value = optionsArgument.Value.UnwrapImplicitConversions();
        var reportAt = optionsArgument.Value.Syntax.GetLocation();
        OptionsDefinition definition;
        switch (value)
        {
            case ILocalReferenceOperation local:
                definition = OptionsFlow.AnalyzeLocal(local.Local, model, api, context.CancellationToken);
                break;
            case IFieldReferenceOperation field when IsThisOrStatic(field.Instance):
                definition = AnalyzeMember(field.Field, field.Field.Type, model, api, memberDefinitions, context.CancellationToken);
                break;
            case IPropertyReferenceOperation property when IsThisOrStatic(property.Instance) && property.Arguments.IsEmpty:
                definition = AnalyzeMember(property.Property, property.Property.Type, model, api, memberDefinitions, context.CancellationToken);
                break;
            default:
                definition = OptionsFlow.Classify(value, api);
                break;
        }

        if (!definition.IsUncapped)
        {
            return;
        }

        var fix = definition.Node is null
            ? null
            : definition.Kind == OptionsDefinitionKind.Null ? OutputCapProperties.FixReplaceWithNew : OutputCapProperties.FixAddToInitializer;
        Report(context, reportAt, api, fix, definition.Node, parameterName: null, positional: false);
    }

    /// <summary>
    /// What a field or property holds, computed once per member: every call of the type reads the same answer. Only
    /// calls in the file that declares the member are analyzed, so the answer never depends on which call came first.
    /// </summary>
    private static OptionsDefinition AnalyzeMember(
        ISymbol member,
        ITypeSymbol type,
        SemanticModel model,
        OutputCapApi api,
        ConcurrentDictionary<ISymbol, OptionsDefinition> cache,
        System.Threading.CancellationToken cancellationToken)
    {
        if (member.DeclaringSyntaxReferences.Length != 1 || member.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree)
        {
            return OptionsDefinition.Unknown;
        }

        return cache.GetOrAdd(member, m => OptionsFlow.AnalyzeMember(m, type, model, api, cancellationToken));
    }

    private static void AnalyzeOptionlessOverload(
        OperationAnalysisContext context,
        IInvocationOperation invocation,
        InvocationExpressionSyntax invocationSyntax,
        AgentGuardSymbols symbols,
        OutputCapApi? openAi)
    {
        // Only OpenAI's CompleteChat(params ChatMessage[]) overloads take no options at all; other APIs without an
        // options parameter (Anthropic's required MaxTokens, configured methods) are not ours to judge.
        var method = invocation.TargetMethod;
        if (openAi is null
            || symbols.OpenAIChatClient is null
            || !method.ContainingType.IsOrDerivesFrom(symbols.OpenAIChatClient)
            || method.Parameters.Length != 1
            || !method.Parameters[0].IsParams)
        {
            return;
        }

        var expanded = invocation.Arguments.Length == 1 && invocation.Arguments[0].ArgumentKind == ArgumentKind.ParamArray;
        var fix = expanded && invocationSyntax.ArgumentList.Arguments.Count == 0 ? null : OutputCapProperties.FixUseOptionsOverload;
        Report(context, invocationSyntax.GetLocation(), openAi, fix, fixTarget: null, parameterName: null, positional: false, expandedParams: expanded);
    }

    private static OutputCapApi? Match(ITypeSymbol parameterType, OutputCapApi? api)
        => api is not null && parameterType.IsOrDerivesFrom(api.OptionsType) ? api : null;

    private static bool IsThisOrStatic(IOperation? instance)
        => instance is null || instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>Whether a new argument for <paramref name="optionsArgument"/> can simply be appended without a name.</summary>
    private static bool IsNextPositionalParameter(IInvocationOperation invocation, InvocationExpressionSyntax syntax, IArgumentOperation optionsArgument)
    {
        var parameter = optionsArgument.Parameter;
        if (parameter is null)
        {
            return false;
        }

        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            if (argument.NameColon is not null)
            {
                return false;
            }
        }

        // In a call written as an extension-method call, the receiver is the method's first parameter.
        var ordinal = parameter.Ordinal;
        if (invocation.TargetMethod.IsExtensionMethod && syntax.Expression is MemberAccessExpressionSyntax)
        {
            ordinal--;
        }

        return ordinal == syntax.ArgumentList.Arguments.Count;
    }

    private static void Report(
        OperationAnalysisContext context,
        Location location,
        OutputCapApi api,
        string? fix,
        SyntaxNode? fixTarget,
        string? parameterName,
        bool positional,
        bool expandedParams = false)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        if (api.HasFix && fix is not null)
        {
            var tree = location.SourceTree;
            var cap = tree is null
                ? EditorConfigOptions.DefaultMaxOutputTokens
                : EditorConfigOptions.GetInt(context.Options, tree, EditorConfigOptions.DefaultMaxOutputTokensKey, EditorConfigOptions.DefaultMaxOutputTokens);
            properties[OutputCapProperties.Fix] = fix;
            properties[OutputCapProperties.CapMember] = api.CapMember;
            properties[OutputCapProperties.OptionsType] = api.OptionsTypeMetadataName;
            properties[OutputCapProperties.MaxOutputTokens] = cap.ToString(CultureInfo.InvariantCulture);
            properties[OutputCapProperties.ParameterName] = parameterName;
            properties[OutputCapProperties.Positional] = positional ? "true" : "false";
            if (fix == OutputCapProperties.FixUseOptionsOverload)
            {
                properties[OutputCapProperties.MessageType] = "OpenAI.Chat.ChatMessage";
                properties[OutputCapProperties.Expanded] = expandedParams ? "true" : "false";
            }
        }

        var additional = fixTarget is null ? null : new[] { fixTarget.GetLocation() };
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0002_MissingOutputTokenCap,
            location,
            additional,
            properties.ToImmutable(),
            api.Display));
    }
}
