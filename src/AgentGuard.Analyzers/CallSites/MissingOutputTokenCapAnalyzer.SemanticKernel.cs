using System.Collections.Immutable;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.CallSites;

/// <summary>AG0002 for Semantic Kernel prompts: <c>kernel.InvokePromptAsync(prompt, arguments)</c>.</summary>
public sealed partial class MissingOutputTokenCapAnalyzer
{
    /// <summary>
    /// A prompt the kernel renders and sends takes its settings from <c>KernelArguments</c>: none at all, arguments
    /// built without settings, or settings without a cap are reported; a prompt configuration, arguments from a
    /// parameter, a helper or a collection of settings are not readable and stay silent.
    /// </summary>
    private static void AnalyzeKernelArguments(
        OperationAnalysisContext context,
        IInvocationOperation invocation,
        InvocationExpressionSyntax invocationSyntax,
        OutputCapApi api,
        CallSiteContext site)
    {
        var kernelArguments = site.Symbols.Types.Get(WellKnownTypeNames.KernelArguments);
        if (kernelArguments is null)
        {
            return;
        }

        IArgumentOperation? argumentsArgument = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.Name == "promptConfig" && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                // The configuration carries its own execution settings.
                return;
            }

            if (parameter.Type.IsType(kernelArguments))
            {
                argumentsArgument = argument;
            }
        }

        if (argumentsArgument is null)
        {
            return;
        }

        if (argumentsArgument.ArgumentKind == ArgumentKind.DefaultValue || argumentsArgument.IsImplicit)
        {
            AnalyzeOptionsArgument(context, invocation, invocationSyntax, argumentsArgument, api, site, wrapIn: OutputCapApi.MetadataNameOf(kernelArguments));
            return;
        }

        var value = argumentsArgument.Value.UnwrapImplicitConversions();
        if (value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
        {
            Report(context, value.Syntax.GetLocation(), api, site, OutputCapProperties.FixReplaceWithNew, OptionsDefinition.Null(value.Syntax),
                parameterName: null, positional: false, wrapIn: OutputCapApi.MetadataNameOf(kernelArguments));
            return;
        }

        var creation = value as IObjectCreationOperation;
        if (creation is null && value is ILocalReferenceOperation local)
        {
            creation = SingleCreationOf(local.Local, invocation.SemanticModel, context.CancellationToken);
        }

        if (creation is null || !creation.Type.IsType(kernelArguments))
        {
            return;
        }

        if (creation.Arguments.IsEmpty)
        {
            // new KernelArguments() / new KernelArguments { ["input"] = … }: arguments without settings.
            // Reported at the argument, where the call is: the fix edits the creation.
            Report(context, argumentsArgument.Value.Syntax.GetLocation(), api, site, OutputCapProperties.FixAddConstructorArgument, OptionsDefinition.UncappedCreation(creation.Syntax),
                parameterName: null, positional: false, wrapIn: null);
            return;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type is not { } type || !type.IsOrInheritsFrom(api.OptionsType))
            {
                continue;
            }

            if (creation.Syntax.Span.IntersectsWith(invocationSyntax.Span) && creation.Syntax.SyntaxTree == invocationSyntax.SyntaxTree)
            {
                // new KernelArguments(settings) at the call.
                AnalyzeOptionsArgument(context, invocation, invocationSyntax, argument, api, site, wrapIn: null);
                return;
            }

            // Arguments built in a local: reported at this call (each call that sends them), the fix editing the
            // settings where they are created.
            if (invocation.SemanticModel is { } model)
            {
                var definition = Define(argument.Value.UnwrapImplicitConversions(), model, api, site, context.CancellationToken);
                if (definition.IsUncapped)
                {
                    var fix = definition.Node is null
                        ? null
                        : definition.Kind == OptionsDefinitionKind.Null ? OutputCapProperties.FixReplaceWithNew : OutputCapProperties.FixAddToInitializer;
                    Report(context, argumentsArgument.Value.Syntax.GetLocation(), api, site, fix, definition, parameterName: null, positional: false, wrapIn: null);
                }
            }

            return;
        }
    }

    /// <summary>
    /// The one creation a local holds when it is declared with it and never assigned again, nor its settings touched.
    /// </summary>
    private static IObjectCreationOperation? SingleCreationOf(ILocalSymbol local, SemanticModel? model, CancellationToken cancellationToken)
    {
        if (model is null
            || local.IsRef
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
            || declarator.SyntaxTree != model.SyntaxTree
            || declarator.EnclosingMemberScope() is not { } scope)
        {
            return null;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != local.Name)
            {
                continue;
            }

            switch (identifier.Parent)
            {
                case AssignmentExpressionSyntax assignment when assignment.Left == identifier:
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ExecutionSettings" } access when access.Expression == identifier:
                case ArgumentSyntax argument
                    when !argument.RefKindKeyword.IsKind(SyntaxKind.None)
                        || argument.Parent is not ArgumentListSyntax { Parent: InvocationExpressionSyntax call }
                        || !call.Expression.InvokedName().StartsWith("Invoke", System.StringComparison.Ordinal):
                    // Given to something other than the kernel: it may add settings there.
                    return null;
            }
        }

        return model.GetOperation(initializer, cancellationToken)?.UnwrapImplicitConversions() as IObjectCreationOperation;
    }
}
