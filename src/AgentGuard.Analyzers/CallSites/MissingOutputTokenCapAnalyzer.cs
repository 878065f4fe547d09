using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
/// AG0002: a model call, or an agent that makes them, whose options are missing or provably lack the output-token cap.
/// </summary>
/// <remarks>
/// Which calls and options: <see cref="ModelApiCatalog"/>. Precision over recall. The analyzer reports only when it can
/// see every value the options can have: no options or <c>null</c>; a <c>new …Options { … }</c> of the SDK's own type
/// (for Semantic Kernel, any connector settings type whose cap member it knows) at the call, or in a local, private
/// field or private auto-property whose every assignment it can read, none of which sets the cap, and on which nothing
/// else touches the cap or could. It is silent for options from parameters, method results and anything else it
/// cannot read, and for calls made on a client that a capped pipeline provably reaches (<see cref="CappedClientReach"/>).
/// Semantic Kernel prompts are judged by the settings of their <c>KernelArguments</c>; Agent Framework agents and
/// Semantic Kernel agents where they are created (<c>MissingOutputTokenCapAnalyzer.Agents.cs</c>), once, not at each
/// run. Anthropic's <c>MessageCreateParams</c> requires <c>MaxTokens</c>, so Anthropic calls always carry a cap.
/// </remarks>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed partial class MissingOutputTokenCapAnalyzer : AgentGuardAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0002_MissingOutputTokenCap);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var apis = new Dictionary<ModelApi, OutputCapApi>();
        OutputCapApi? extensionsAi = null;
        foreach (var row in ModelApiCatalog.Apis)
        {
            if (row.Options is { } options && symbols.OptionsTypeOf(row) is { } optionsType)
            {
                var api = new OutputCapApi(row.Family, optionsType, options.CapMembers, options.CapDisplay, row.HonoursClientPipeline);
                apis.Add(row, api);
                if (row.Family == ModelApiFamily.ExtensionsAI)
                {
                    extensionsAi = api;
                }
            }
        }

        var agents = extensionsAi is not null && symbols.ChatClientAgentOptions is { } agentOptions
            ? new OutputCapApi(
                ModelApiFamily.AgentFramework,
                agentOptions,
                ImmutableArray.Create("ChatOptions"),
                "ChatClientAgentOptions.ChatOptions.MaxOutputTokens",
                honoursClientPipeline: true,
                nested: extensionsAi)
            : null;

        var site = new CallSiteContext(symbols, apis, agents, new CappedClientReach(context.Compilation, symbols.ChatClient));
        context.RegisterOperationAction(c => AnalyzeInvocation(c, site), OperationKind.Invocation);
        var kernelAgent = symbols.Types.Get(WellKnownTypeNames.ChatCompletionAgent);
        if ((agents is not null && symbols.ChatClientAgent is not null) || kernelAgent is not null)
        {
            context.RegisterOperationAction(c => AnalyzeAgentCreation(c, site, kernelAgent), OperationKind.ObjectCreation);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, CallSiteContext site)
    {
        if (context.Operation is not IInvocationOperation invocation
            || invocation.Syntax is not InvocationExpressionSyntax invocationSyntax)
        {
            return;
        }

        var row = site.Symbols.FindModelApi(invocation.TargetMethod);
        if (row is null)
        {
            if (site.Agents is not null && IsAgentCreationMethod(invocation.TargetMethod, site.Symbols))
            {
                AnalyzeAgentFactory(context, invocation, site);
            }

            return;
        }

        if (!site.Apis.TryGetValue(row, out var api))
        {
            return;
        }

        IArgumentOperation? optionsArgument = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is { } parameterType && parameterType.IsOrDerivesFrom(api.OptionsType))
            {
                optionsArgument = argument;
                break;
            }
        }

        if (api.HonoursClientPipeline && site.ClientReach.Reaches(invocation, context.CancellationToken))
        {
            return;
        }

        if (optionsArgument is null)
        {
            switch (api.Family)
            {
                case ModelApiFamily.SemanticKernelPrompt:
                    AnalyzeKernelArguments(context, invocation, invocationSyntax, api, site);
                    break;
                case ModelApiFamily.OpenAIChat:
                    AnalyzeOptionlessChatOverload(context, invocation, invocationSyntax, api);
                    break;
                case ModelApiFamily.OpenAIResponses:
                    AnalyzeOptionlessResponsesOverload(context, invocation, invocationSyntax, api);
                    break;
            }

            return;
        }

        AnalyzeOptionsArgument(context, invocation, invocationSyntax, optionsArgument, api, site, wrapIn: null);
    }

    /// <summary>Judges the value given to an options parameter (or to the settings of a <c>KernelArguments</c>).</summary>
    private static void AnalyzeOptionsArgument(
        OperationAnalysisContext context,
        IInvocationOperation invocation,
        InvocationExpressionSyntax invocationSyntax,
        IArgumentOperation optionsArgument,
        OutputCapApi api,
        CallSiteContext site,
        string? wrapIn)
    {
        if (optionsArgument.ArgumentKind == ArgumentKind.DefaultValue || optionsArgument.IsImplicit)
        {
            var positional = IsNextPositionalParameter(invocation, invocationSyntax, optionsArgument);
            Report(context, invocationSyntax.GetLocation(), api, site, OutputCapProperties.FixAddArgument, definition: default, optionsArgument.Parameter?.Name, positional, wrapIn: wrapIn);
            return;
        }

        var model = invocation.SemanticModel;
        if (model is null)
        {
            return;
        }

        var value = optionsArgument.Value.UnwrapImplicitConversions();
        var definition = Define(value, model, api, site, context.CancellationToken);
        if (!definition.IsUncapped)
        {
            return;
        }

        var fix = definition.Node is null
            ? null
            : definition.Kind == OptionsDefinitionKind.Null ? OutputCapProperties.FixReplaceWithNew : OutputCapProperties.FixAddToInitializer;
        Report(context, optionsArgument.Value.Syntax.GetLocation(), api, site, fix, definition, parameterName: null, positional: false, wrapIn: wrapIn);
    }

    /// <summary>What an options value provably is: a local, a private field or property of this type, or a value at the call.</summary>
    private static OptionsDefinition Define(IOperation value, SemanticModel model, OutputCapApi api, CallSiteContext site, CancellationToken cancellationToken)
        => value switch
        {
            ILocalReferenceOperation local => OptionsFlow.AnalyzeLocal(local.Local, model, api, cancellationToken),
            IFieldReferenceOperation field when IsThisOrStatic(field.Instance)
                => AnalyzeMember(field.Field, field.Field.Type, model, api, site.MemberDefinitions, cancellationToken),
            IPropertyReferenceOperation property when IsThisOrStatic(property.Instance) && property.Arguments.IsEmpty
                => AnalyzeMember(property.Property, property.Property.Type, model, api, site.MemberDefinitions, cancellationToken),
            _ => OptionsFlow.Classify(value, api),
        };

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

    private static void AnalyzeOptionlessChatOverload(
        OperationAnalysisContext context,
        IInvocationOperation invocation,
        InvocationExpressionSyntax invocationSyntax,
        OutputCapApi api)
    {
        // Only OpenAI's CompleteChat(params ChatMessage[]) overloads take no options at all.
        var method = invocation.TargetMethod;
        if (method.Parameters.Length != 1 || !method.Parameters[0].IsParams)
        {
            return;
        }

        var expanded = invocation.Arguments.Length == 1 && invocation.Arguments[0].ArgumentKind == ArgumentKind.ParamArray;
        var fix = expanded && invocationSyntax.ArgumentList.Arguments.Count == 0 ? null : OutputCapProperties.FixUseOptionsOverload;
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[OutputCapProperties.MessageType] = "OpenAI.Chat.ChatMessage";
        properties[OutputCapProperties.Expanded] = expanded ? "true" : "false";
        Report(context, invocationSyntax.GetLocation(), api, fix, properties);
    }

    /// <summary>
    /// OpenAI's <c>CreateResponse(model, input, previousResponseId)</c> overloads take no options: the fix moves the
    /// call to <c>CreateResponse(new CreateResponseOptions(model, items) { MaxOutputTokenCount = … })</c>.
    /// </summary>
    private static void AnalyzeOptionlessResponsesOverload(
        OperationAnalysisContext context,
        IInvocationOperation invocation,
        InvocationExpressionSyntax invocationSyntax,
        OutputCapApi api)
    {
        var method = invocation.TargetMethod;
        if (method.Parameters.Length == 0
            || method.Parameters[0].Name != "model"
            || method.Parameters[0].Type.SpecialType != SpecialType.System_String)
        {
            // The protocol overload takes the raw request body: not readable.
            return;
        }

        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[OutputCapProperties.InputIsText] = method.Parameters.Length > 1 && method.Parameters[1].Type.SpecialType == SpecialType.System_String
            ? "true"
            : "false";
        Report(context, invocationSyntax.GetLocation(), api, OutputCapProperties.FixUseResponseOptions, properties);
    }

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
        CallSiteContext site,
        string? fix,
        OptionsDefinition definition,
        string? parameterName,
        bool positional,
        string? wrapIn)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        if (fix is not null)
        {
            properties[OutputCapProperties.ParameterName] = parameterName;
            properties[OutputCapProperties.Positional] = positional ? "true" : "false";
            properties[OutputCapProperties.WrapInType] = wrapIn;
            if (fix == OutputCapProperties.FixAddToInitializer)
            {
                properties[OutputCapProperties.CapMember] = definition.CapMember ?? api.CapMember;
                if (api.Family == ModelApiFamily.AgentFramework && (definition.CapMember ?? api.CapMember) == "ChatOptions" && api.Nested is { } nested)
                {
                    // An agent's options without chat options: the fix adds them, capped.
                    properties[OutputCapProperties.CapValueType] = nested.OptionsTypeMetadataName;
                    properties[OutputCapProperties.CapValueMember] = nested.CapMember;
                }
                else if (definition.CapMember == KernelAgentArguments)
                {
                    // A Semantic Kernel agent without arguments: the fix gives it arguments with capped settings.
                    var (settingsType, settingsMember) = NewSemanticKernelSettings(site, api);
                    properties[OutputCapProperties.CapValueType] = settingsType;
                    properties[OutputCapProperties.CapValueMember] = settingsMember;
                    properties[OutputCapProperties.WrapInType] = site.Symbols.Types.Get(WellKnownTypeNames.KernelArguments) is { } kernelArguments
                        ? OutputCapApi.MetadataNameOf(kernelArguments)
                        : null;
                }
            }
            else
            {
                // New options: Semantic Kernel's are the OpenAI connector's when the project has it, else the base
                // settings with a max_tokens entry every connector reads.
                var (optionsType, capMember) = api.IsSemanticKernel
                    ? NewSemanticKernelSettings(site, api)
                    : (api.OptionsTypeMetadataName, api.CapMember);
                properties[OutputCapProperties.OptionsType] = optionsType;
                properties[OutputCapProperties.CapMember] = capMember;
            }
        }

        var additional = definition.Node is null || fix is null ? null : new[] { definition.Node.GetLocation() };
        Report(context, location, api, fix, properties, additional);
    }

    private static void Report(
        OperationAnalysisContext context,
        Location location,
        OutputCapApi api,
        string? fix,
        ImmutableDictionary<string, string?>.Builder properties,
        IEnumerable<Location>? additionalLocations = null)
    {
        if (fix is not null)
        {
            var tree = location.SourceTree;
            var cap = tree is null
                ? EditorConfigOptions.DefaultMaxOutputTokens
                : EditorConfigOptions.GetInt(context.Options, tree, EditorConfigOptions.DefaultMaxOutputTokensKey, EditorConfigOptions.DefaultMaxOutputTokens);
            properties[OutputCapProperties.Fix] = fix;
            properties[OutputCapProperties.MaxOutputTokens] = cap.ToString(CultureInfo.InvariantCulture);
            if (!properties.ContainsKey(OutputCapProperties.CapMember))
            {
                properties[OutputCapProperties.CapMember] = api.CapMember;
            }

            if (!properties.ContainsKey(OutputCapProperties.OptionsType))
            {
                properties[OutputCapProperties.OptionsType] = api.OptionsTypeMetadataName;
            }
        }
        else
        {
            properties.Clear();
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0002_MissingOutputTokenCap,
            location,
            additionalLocations,
            properties.ToImmutable(),
            api.Display));
    }

    /// <summary>
    /// The settings a fix creates for Semantic Kernel: the OpenAI connector's when the project has it, else the base
    /// settings with a <c>max_tokens</c> entry every connector reads.
    /// </summary>
    private static (string Type, string CapMember) NewSemanticKernelSettings(CallSiteContext site, OutputCapApi api)
        => site.Symbols.Types.Get(WellKnownTypeNames.OpenAIPromptExecutionSettings) is { } openAiSettings
            ? (OutputCapApi.MetadataNameOf(openAiSettings), "MaxTokens")
            : (api.OptionsTypeMetadataName, OptionsFlow.SemanticKernelExtensionData);

    /// <summary>What every callback of one compilation shares.</summary>
    private sealed class CallSiteContext
    {
        public CallSiteContext(AgentGuardSymbols symbols, Dictionary<ModelApi, OutputCapApi> apis, OutputCapApi? agents, CappedClientReach clientReach)
        {
            Symbols = symbols;
            Apis = apis;
            Agents = agents;
            ClientReach = clientReach;
        }

        public AgentGuardSymbols Symbols { get; }

        /// <summary>The catalogue rows whose options the compilation references.</summary>
        public Dictionary<ModelApi, OutputCapApi> Apis { get; }

        /// <summary>Agent Framework's agent options, when the compilation references them.</summary>
        public OutputCapApi? Agents { get; }

        public CappedClientReach ClientReach { get; }

        /// <summary>What each options field or property holds, computed once.</summary>
        public ConcurrentDictionary<ISymbol, OptionsDefinition> MemberDefinitions { get; } = new(SymbolEqualityComparer.Default);
    }
}
