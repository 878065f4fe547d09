using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>
/// AG0002 for Microsoft Agent Framework: an agent's every run sends its <c>ChatOptions</c>, so the cap is judged once,
/// where the agent is created (<c>new ChatClientAgent(client, …)</c>, <c>client.AsAIAgent(…)</c>), not at each
/// <c>RunAsync</c>.
/// </summary>
public sealed partial class MissingOutputTokenCapAnalyzer
{
    private static bool IsAgentCreationMethod(IMethodSymbol method, AgentGuardSymbols symbols)
    {
        if (ModelApiCatalog.AgentCreationMethods.IndexOf(method.Name) < 0 || symbols.AIAgent is null)
        {
            return false;
        }

        if (!method.ReturnType.IsOrInheritsFrom(symbols.AIAgent))
        {
            return false;
        }

        // An agent the caller's options drive: built on a chat client — given one, given agent options, or given a
        // factory for the chat client it builds (the provider packages' AsAIAgent). A remote or hosted agent (an A2A
        // card, a hosted agent record, a workflow, a service-side assistant) is capped where it runs, not here.
        var original = method.ReducedFrom ?? method;
        foreach (var parameter in original.Parameters)
        {
            if ((parameter.Ordinal == 0 && original.IsExtensionMethod && parameter.Type.IsOrDerivesFrom(symbols.ChatClient))
                || parameter.Name == "clientFactory"
                || parameter.Type.IsType(symbols.ChatClientAgentOptions))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>client.AsAIAgent(…)</c>: the client is the extension's receiver.</summary>
    private static void AnalyzeAgentFactory(OperationAnalysisContext context, IInvocationOperation invocation, CallSiteContext site)
    {
        IOperation? client = invocation.Instance;
        if (client is null && invocation.TargetMethod.IsExtensionMethod)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == 0)
                {
                    client = argument.Value;
                }
            }
        }

        AnalyzeAgent(context, invocation.Arguments, client, invocation.Syntax, site);
    }

    /// <summary><c>new ChatClientAgent(client, …)</c>, or Semantic Kernel's <c>new ChatCompletionAgent { … }</c>.</summary>
    private static void AnalyzeAgentCreation(OperationAnalysisContext context, CallSiteContext site, INamedTypeSymbol? kernelAgent)
    {
        if (context.Operation is not IObjectCreationOperation creation)
        {
            return;
        }

        if (kernelAgent is not null && creation.Type.IsType(kernelAgent))
        {
            AnalyzeKernelAgent(context, creation, site);
            return;
        }

        if (site.Agents is null || !creation.Type.IsType(site.Symbols.ChatClientAgent))
        {
            return;
        }

        IOperation? client = null;
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type.IsType(site.Symbols.ChatClient) == true)
            {
                client = argument.Value;
                break;
            }
        }

        AnalyzeAgent(context, creation.Arguments, client, creation.Syntax, site);
    }

    private static void AnalyzeAgent(
        OperationAnalysisContext context,
        ImmutableArray<IArgumentOperation> arguments,
        IOperation? client,
        SyntaxNode creationSyntax,
        CallSiteContext site)
    {
        var api = site.Agents!;
        IArgumentOperation? optionsArgument = null;
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.IsType(api.OptionsType) == true)
            {
                optionsArgument = argument;
                break;
            }
        }

        OptionsDefinition definition = default;
        var hasOptions = optionsArgument is not null
            && optionsArgument.ArgumentKind != ArgumentKind.DefaultValue
            && !optionsArgument.IsImplicit
            && optionsArgument.Value.UnwrapImplicitConversions() is not { ConstantValue: { HasValue: true, Value: null } };
        if (hasOptions && creationSyntax.SyntaxTree is { } && optionsArgument!.SemanticModel is { } model)
        {
            definition = Define(optionsArgument.Value.UnwrapImplicitConversions(), model, api, site, context.CancellationToken);
            if (!definition.IsUncapped)
            {
                return;
            }
        }

        // A client built by a capped pipeline caps every request the agent sends; so does a client factory that
        // wraps the agent's client in one.
        if (client is null || site.ClientReach.ReachesClient(client, context.CancellationToken))
        {
            return;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == "clientFactory"
                && argument.ArgumentKind != ArgumentKind.DefaultValue
                && ClientPipelineScanner.BuildsCappedPipeline(argument.Value.Syntax))
            {
                return;
            }
        }

        if (hasOptions)
        {
            var fix = definition.Node is null ? null : OutputCapProperties.FixAddToInitializer;
            Report(context, optionsArgument!.Value.Syntax.GetLocation(), api, site, fix, definition, parameterName: null, positional: false, wrapIn: null);
            return;
        }

        // No options: the fix caps the client the agent is built on — itself when it is a chat client, else through
        // the clientFactory an SDK's AsAIAgent takes (OpenAI's, Anthropic's); without either there is nothing to edit.
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        properties[OutputCapProperties.OptionsType] = api.Nested!.OptionsTypeMetadataName;
        properties[OutputCapProperties.CapMember] = api.Nested.CapMember;
        if (client.UnwrapImplicitConversions().Type.IsOrDerivesFrom(site.Symbols.ChatClient))
        {
            Report(context, creationSyntax.GetLocation(), api, OutputCapProperties.FixCapAgentClient, properties, new[] { client.Syntax.GetLocation() });
            return;
        }

        foreach (var argument in arguments)
        {
            if (argument.Parameter is { Name: "clientFactory" } factory && argument.ArgumentKind == ArgumentKind.DefaultValue && argument.IsImplicit)
            {
                properties[OutputCapProperties.ParameterName] = factory.Name;
                Report(context, creationSyntax.GetLocation(), api, OutputCapProperties.FixCapAgentClientFactory, properties);
                return;
            }
        }

        Report(context, creationSyntax.GetLocation(), api, fix: null, properties);
    }

    /// <summary>The member of Semantic Kernel's agents that carries their settings.</summary>
    private const string KernelAgentArguments = "Arguments";

    /// <summary>
    /// Semantic Kernel's <c>ChatCompletionAgent</c> sends the execution settings of its <c>Arguments</c> with every
    /// invocation: none, arguments without settings, or settings without a cap are reported at the creation, once.
    /// Arguments from anywhere else (a local, a helper) are not readable and stay silent.
    /// </summary>
    private static void AnalyzeKernelAgent(OperationAnalysisContext context, IObjectCreationOperation creation, CallSiteContext site)
    {
        OutputCapApi? api = null;
        foreach (var pair in site.Apis)
        {
            if (pair.Key.Family == ModelApiFamily.SemanticKernelPrompt)
            {
                api = pair.Value;
            }
        }

        if (api is null || creation.SemanticModel is not { } model || !creation.Arguments.IsEmpty)
        {
            return;
        }

        IOperation? arguments = null;
        if (creation.Initializer is { } initializer)
        {
            foreach (var element in initializer.Initializers)
            {
                if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: KernelAgentArguments } } assignment)
                {
                    arguments = assignment.Value.UnwrapImplicitConversions();
                }
            }
        }

        if (arguments is null)
        {
            Report(context, creation.Syntax.GetLocation(), api, site, OutputCapProperties.FixAddToInitializer,
                OptionsDefinition.UncappedCreation(creation.Syntax, KernelAgentArguments), parameterName: null, positional: false, wrapIn: null);
            return;
        }

        if (arguments is not IObjectCreationOperation argumentsCreation || !argumentsCreation.Type.IsType(site.Symbols.Types.Get(WellKnownTypeNames.KernelArguments)))
        {
            return;
        }

        if (argumentsCreation.Arguments.IsEmpty)
        {
            Report(context, argumentsCreation.Syntax.GetLocation(), api, site, OutputCapProperties.FixAddConstructorArgument,
                OptionsDefinition.UncappedCreation(argumentsCreation.Syntax), parameterName: null, positional: false, wrapIn: null);
            return;
        }

        foreach (var argument in argumentsCreation.Arguments)
        {
            if (argument.Parameter?.Type is { } type && type.IsOrInheritsFrom(api.OptionsType))
            {
                var value = argument.Value.UnwrapImplicitConversions();
                var definition = Define(value, model, api, site, context.CancellationToken);
                if (definition.IsUncapped)
                {
                    var fix = definition.Node is null
                        ? null
                        : definition.Kind == OptionsDefinitionKind.Null ? OutputCapProperties.FixReplaceWithNew : OutputCapProperties.FixAddToInitializer;
                    Report(context, value.Syntax.GetLocation(), api, site, fix, definition, parameterName: null, positional: false, wrapIn: null);
                }

                return;
            }
        }
    }
}
