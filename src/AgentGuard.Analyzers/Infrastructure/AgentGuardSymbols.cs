using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// The well-known types of the model APIs AgentGuard understands, resolved through the compilation's
/// <see cref="WellKnownTypes"/> table once per compilation and shared by every analyzer. No model SDK is needed at analysis time: an SDK the compilation
/// does not reference simply resolves to <see langword="null"/>.
/// </summary>
public sealed class AgentGuardSymbols
{
    private static readonly ConditionalWeakTable<Compilation, AgentGuardSymbols> Cache = new();

    private readonly HashSet<string> configuredMethodNames;
    private readonly HashSet<string> configuredMethodFullNames;

    // The catalogue resolved against this compilation: per method name, the receiver types that make it a model call.
    private readonly Dictionary<string, List<ResolvedReceiver>> modelCallsByName = new(StringComparer.Ordinal);

    /// <summary>The row a method listed in <c>agentguard.model_call_methods</c> belongs to: the rules judge it as a model call, nothing more.</summary>
    private static readonly ModelApi ConfiguredApi = new(ModelApiFamily.Configured, ImmutableArray<ModelApiReceiver>.Empty, ImmutableArray<string>.Empty, options: null, honoursClientPipeline: false);

    // The assemblies that define every type resolved below. A compilation that references none of them (and
    // configures no model-call method) has nothing to analyze: no type is looked up at all.
    private static readonly string[] KnownAssemblies =
    {
        "Microsoft.Extensions.AI.Abstractions",
        "Microsoft.Extensions.AI",
        "Microsoft.SemanticKernel.Abstractions",
        "Microsoft.SemanticKernel.Core",
        "Microsoft.Agents.AI.Abstractions",
        "Microsoft.Agents.AI",
        "OpenAI",
        "Anthropic",
        "AgentGuard",
    };

    private AgentGuardSymbols(Compilation compilation, AnalyzerConfigOptionsProvider? optionsProvider)
    {
        Compilation = compilation;
        Types = WellKnownTypes.For(compilation);
        configuredMethodNames = new HashSet<string>(StringComparer.Ordinal);
        configuredMethodFullNames = new HashSet<string>(StringComparer.Ordinal);
        ReadConfiguredModelCallMethods(compilation, optionsProvider);
        if (configuredMethodNames.Count == 0 && !ReferencesKnownAssembly(compilation))
        {
            return;
        }

        var types = Types;

        // Microsoft.Extensions.AI
        ChatClient = types.Get(WellKnownTypeNames.ChatClient);
        ChatClientExtensions = types.Get(WellKnownTypeNames.ChatClientExtensions);
        ChatClientStructuredOutputExtensions = types.Get(WellKnownTypeNames.ChatClientStructuredOutputExtensions);
        ChatOptions = types.Get(WellKnownTypeNames.ChatOptions);
        ChatMessage = types.Get(WellKnownTypeNames.ChatMessage);
        ChatRole = types.Get(WellKnownTypeNames.ChatRole);
        ChatResponse = types.Get(WellKnownTypeNames.ChatResponse);
        ChatClientBuilder = types.Get(WellKnownTypeNames.ChatClientBuilder);
        FunctionInvokingChatClient = types.Get(WellKnownTypeNames.FunctionInvokingChatClient);
        FunctionInvokingChatClientBuilderExtensions = types.Get(WellKnownTypeNames.FunctionInvokingChatClientBuilderExtensions);
        ChatReducer = types.Get(WellKnownTypeNames.ChatReducer);

        // Semantic Kernel
        ChatCompletionService = types.Get(WellKnownTypeNames.ChatCompletionService);
        ChatCompletionServiceExtensions = types.Get(WellKnownTypeNames.ChatCompletionServiceExtensions);
        Kernel = types.Get(WellKnownTypeNames.Kernel);
        KernelExtensions = types.Get(WellKnownTypeNames.KernelExtensions);
        ChatHistory = types.Get(WellKnownTypeNames.ChatHistory);
        PromptExecutionSettings = types.Get(WellKnownTypeNames.PromptExecutionSettings);

        // OpenAI .NET SDK
        OpenAIChatClient = types.Get(WellKnownTypeNames.OpenAIChatClient);
        OpenAIChatCompletionOptions = types.Get(WellKnownTypeNames.OpenAIChatCompletionOptions);

        // Anthropic SDK
        AnthropicMessageService = types.Get(WellKnownTypeNames.AnthropicMessageService);
        AnthropicBetaMessageService = types.Get(WellKnownTypeNames.AnthropicBetaMessageService);

        // AgentGuard itself
        AgentToolAttribute = types.Get(WellKnownTypeNames.AgentToolAttribute);
        BudgetAttribute = types.Get(WellKnownTypeNames.BudgetAttribute);
        BudgetChatClient = types.Get(WellKnownTypeNames.BudgetChatClient);
        AgentGuardChatClientBuilderExtensions = types.Get(WellKnownTypeNames.AgentGuardChatClientBuilderExtensions);

        // Microsoft Agent Framework
        AIAgent = types.Get(WellKnownTypeNames.AIAgent);
        ChatClientAgent = types.Get(WellKnownTypeNames.ChatClientAgent);
        ChatClientAgentOptions = types.Get(WellKnownTypeNames.ChatClientAgentOptions);
        AgentChatClientExtensions = types.Get(WellKnownTypeNames.AgentChatClientExtensions);

        ResolveCatalogue(types);
        HasModelApi = modelCallsByName.Count > 0 || configuredMethodNames.Count > 0;
        HasAgentGuard = AgentToolAttribute is not null || BudgetAttribute is not null;
    }

    public Compilation Compilation { get; }

    /// <summary>
    /// The compilation's table of well-known types, for a rule that needs one this class does not name. Creating it
    /// looks nothing up: a name is resolved the first time a rule asks for it.
    /// </summary>
    internal WellKnownTypes Types { get; }

    public INamedTypeSymbol? ChatClient { get; }
    public INamedTypeSymbol? ChatClientExtensions { get; }
    public INamedTypeSymbol? ChatClientStructuredOutputExtensions { get; }
    public INamedTypeSymbol? ChatOptions { get; }
    public INamedTypeSymbol? ChatMessage { get; }
    public INamedTypeSymbol? ChatRole { get; }
    public INamedTypeSymbol? ChatResponse { get; }
    public INamedTypeSymbol? ChatClientBuilder { get; }
    public INamedTypeSymbol? FunctionInvokingChatClient { get; }
    public INamedTypeSymbol? FunctionInvokingChatClientBuilderExtensions { get; }
    public INamedTypeSymbol? ChatReducer { get; }

    public INamedTypeSymbol? ChatCompletionService { get; }
    public INamedTypeSymbol? ChatCompletionServiceExtensions { get; }
    public INamedTypeSymbol? Kernel { get; }
    public INamedTypeSymbol? KernelExtensions { get; }
    public INamedTypeSymbol? ChatHistory { get; }
    public INamedTypeSymbol? PromptExecutionSettings { get; }

    public INamedTypeSymbol? OpenAIChatClient { get; }
    public INamedTypeSymbol? OpenAIChatCompletionOptions { get; }

    public INamedTypeSymbol? AnthropicMessageService { get; }
    public INamedTypeSymbol? AnthropicBetaMessageService { get; }

    public INamedTypeSymbol? AIAgent { get; }
    public INamedTypeSymbol? ChatClientAgent { get; }
    public INamedTypeSymbol? ChatClientAgentOptions { get; }
    public INamedTypeSymbol? AgentChatClientExtensions { get; }

    public INamedTypeSymbol? AgentToolAttribute { get; }
    public INamedTypeSymbol? BudgetAttribute { get; }
    public INamedTypeSymbol? BudgetChatClient { get; }
    public INamedTypeSymbol? AgentGuardChatClientBuilderExtensions { get; }

    /// <summary>Whether the compilation references any model API AgentGuard understands, or configures one.</summary>
    public bool HasModelApi { get; }

    /// <summary>Whether the compilation references AgentGuard's own attributes.</summary>
    public bool HasAgentGuard { get; }

    /// <summary>Returns the symbols of a compilation, resolving them on first use.</summary>
    public static AgentGuardSymbols For(Compilation compilation, AnalyzerConfigOptionsProvider? optionsProvider = null)
        => Cache.GetValue(compilation, c => new AgentGuardSymbols(c, optionsProvider));

    /// <summary>
    /// Whether <paramref name="method"/> sends a request to a model: a method of <see cref="ModelApiCatalog"/>, or one
    /// listed in <c>agentguard.model_call_methods</c>.
    /// </summary>
    public bool IsModelCall(IMethodSymbol? method) => FindModelApi(method) is not null;

    /// <summary>
    /// Whether a method of this name is a model call on some receiver: a name of the catalogue's rows this
    /// compilation references, or of <c>agentguard.model_call_methods</c>. A name-only filter, before any symbol work.
    /// </summary>
    internal bool IsModelCallName(string name)
        => modelCallsByName.ContainsKey(name) || configuredMethodNames.Contains(name);

    /// <summary>Every name <see cref="IsModelCallName"/> accepts.</summary>
    internal IEnumerable<string> ModelCallNames
    {
        get
        {
            foreach (var name in modelCallsByName.Keys)
            {
                yield return name;
            }

            foreach (var name in configuredMethodNames)
            {
                if (!modelCallsByName.ContainsKey(name))
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>
    /// The catalogue row of the model API <paramref name="method"/> belongs to, or <see langword="null"/> when it does
    /// not call a model.
    /// </summary>
    internal ModelApi? FindModelApi(IMethodSymbol? method)
    {
        if (method is null)
        {
            return null;
        }

        method = method.ReducedFrom ?? method;
        if (method.ContainingType is not { } type)
        {
            return null;
        }

        var original = type.OriginalDefinition;
        if (modelCallsByName.TryGetValue(method.Name, out var receivers))
        {
            foreach (var receiver in receivers)
            {
                if (receiver.Match == ReceiverMatch.Exact ? original.IsType(receiver.Type) : original.IsOrDerivesFrom(receiver.Type))
                {
                    return receiver.Api;
                }
            }
        }

        return configuredMethodNames.Count > 0
            && configuredMethodNames.Contains(method.Name)
            && configuredMethodFullNames.Contains(original.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + method.Name)
            ? ConfiguredApi
            : null;
    }

    /// <summary>The options type of a catalogue row in this compilation, or <see langword="null"/> when it is not referenced.</summary>
    internal INamedTypeSymbol? OptionsTypeOf(ModelApi api)
        => api.Options is { } options ? Types.Get(options.MetadataName) : null;

    private void ResolveCatalogue(WellKnownTypes types)
    {
        foreach (var api in ModelApiCatalog.Apis)
        {
            foreach (var receiver in api.Receivers)
            {
                if (types.Get(receiver.MetadataName) is not { } type)
                {
                    continue;
                }

                foreach (var name in api.Methods)
                {
                    if (!modelCallsByName.TryGetValue(name, out var list))
                    {
                        list = new List<ResolvedReceiver>();
                        modelCallsByName.Add(name, list);
                    }

                    list.Add(new ResolvedReceiver(type, receiver.Match, api));
                }
            }
        }
    }

    private readonly struct ResolvedReceiver
    {
        public ResolvedReceiver(INamedTypeSymbol type, ReceiverMatch match, ModelApi api)
        {
            Type = type;
            Match = match;
            Api = api;
        }

        public INamedTypeSymbol Type { get; }

        public ReceiverMatch Match { get; }

        public ModelApi Api { get; }
    }

    private static bool ReferencesKnownAssembly(Compilation compilation)
    {
        if (Array.IndexOf(KnownAssemblies, compilation.AssemblyName) >= 0)
        {
            return true;
        }

        foreach (var reference in compilation.ReferencedAssemblyNames)
        {
            if (Array.IndexOf(KnownAssemblies, reference.Name) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void ReadConfiguredModelCallMethods(Compilation compilation, AnalyzerConfigOptionsProvider? optionsProvider)
    {
        if (optionsProvider is null)
        {
            return;
        }

        // The key is project-wide: global options, or the [*.cs] section every file shares. Reading one file's options
        // keeps this constant-time on every edit in the IDE.
        AddConfiguredMethods(optionsProvider.GlobalOptions);
        foreach (var tree in compilation.SyntaxTrees)
        {
            AddConfiguredMethods(optionsProvider.GetOptions(tree));
            break;
        }
    }

    private void AddConfiguredMethods(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(EditorConfigOptions.ModelCallMethodsKey, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        foreach (var entry in EditorConfigOptions.SplitList(value))
        {
            var lastDot = entry.LastIndexOf('.');
            if (lastDot <= 0 || lastDot == entry.Length - 1)
            {
                continue;
            }

            configuredMethodNames.Add(entry.Substring(lastDot + 1));
            configuredMethodFullNames.Add(entry);
        }
    }
}
