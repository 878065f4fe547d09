using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Pipelines;

/// <summary>
/// Reads the order of the <c>Use…</c> calls on one <c>ChatClientBuilder</c>: the rest of a fluent chain after a
/// call, then — when the builder is a local — the statements after it in the same block that call the same local.
/// The first <c>Use</c> is the outermost client, so what comes later in this order sits inside what came before.
/// </summary>
internal sealed class BuilderPipeline
{
    private readonly INamedTypeSymbol chatClientBuilder;
    private readonly INamedTypeSymbol guardExtensions;
    private readonly INamedTypeSymbol? functionInvocationExtensions;
    private readonly INamedTypeSymbol? functionInvokingChatClient;
    private readonly INamedTypeSymbol? budgetChatClient;

    private BuilderPipeline(
        INamedTypeSymbol chatClientBuilder,
        INamedTypeSymbol guardExtensions,
        INamedTypeSymbol? functionInvocationExtensions,
        INamedTypeSymbol? functionInvokingChatClient,
        INamedTypeSymbol? budgetChatClient)
    {
        this.chatClientBuilder = chatClientBuilder;
        this.guardExtensions = guardExtensions;
        this.functionInvocationExtensions = functionInvocationExtensions;
        this.functionInvokingChatClient = functionInvokingChatClient;
        this.budgetChatClient = budgetChatClient;
    }

    /// <summary>
    /// The pipeline reader of a compilation, or <see langword="null"/> when it references no AgentGuard guard, no
    /// <c>ChatClientBuilder</c> or no function invocation: then no guard can be outside a tool loop.
    /// </summary>
    public static BuilderPipeline? For(AgentGuardSymbols symbols)
    {
        if (symbols.ChatClientBuilder is not { } builder
            || symbols.AgentGuardChatClientBuilderExtensions is not { } guard
            || (symbols.FunctionInvokingChatClientBuilderExtensions is null && symbols.FunctionInvokingChatClient is null))
        {
            return null;
        }

        return new BuilderPipeline(builder, guard, symbols.FunctionInvokingChatClientBuilderExtensions, symbols.FunctionInvokingChatClient, symbols.BudgetChatClient);
    }

    /// <summary>Whether <paramref name="invocation"/> is AgentGuard's <c>UseAgentGuard</c>.</summary>
    public bool IsGuard(IInvocationOperation invocation)
        => invocation.TargetMethod is { Name: "UseAgentGuard" } method
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType?.OriginalDefinition, guardExtensions);

    /// <summary>Whether <paramref name="invocation"/> is <c>UseFunctionInvocation</c> (not a <c>Use</c> that creates the client).</summary>
    public bool IsUseFunctionInvocation(IInvocationOperation invocation)
        => functionInvocationExtensions is not null
            && invocation.TargetMethod is { } method
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType?.OriginalDefinition, functionInvocationExtensions);

    /// <summary>
    /// The last function-invocation step added to the builder after <paramref name="guard"/>, when no guard is added
    /// after that step; <see langword="null"/> when there is none, a guard follows it, or the builder escapes to code
    /// this cannot read (a parameter, a return value, a field, a branch), where a guard may still be added inside.
    /// </summary>
    public IInvocationOperation? FindUnguardedFunctionInvocationAfter(IInvocationOperation guard, CancellationToken cancellationToken)
    {
        var order = new StepOrder();

        // The rest of the fluent chain.
        IInvocationOperation top = guard;
        while (IsBuilder(top.Type) && NextInChain(top) is { } next)
        {
            order.Observe(next, Classify(next));
            top = next;
        }

        if (!IsBuilder(top.Type))
        {
            // Built (or turned into something else): later calls on the builder make other clients.
            return order.Result;
        }

        var parent = SkipConversionsUp(top, out var topValue);
        ILocalSymbol? declared = null;
        IOperation? statement = null;
        switch (parent)
        {
            case IExpressionStatementOperation expressionStatement:
                statement = expressionStatement;
                break;

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
                when declarator.Parent is IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation group }:
                declared = declarator.Symbol;
                statement = group;
                break;

            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Parent: IExpressionStatementOperation assignmentStatement } assignment
                when assignment.Value == topValue:
                declared = target.Local;
                statement = assignmentStatement;
                break;
        }

        if (statement is null)
        {
            // Returned, passed on, stored in a field: whoever receives it may add a guard inside.
            return null;
        }

        var rootLocal = Root(guard) is ILocalReferenceOperation reference ? reference.Local : null;
        if (declared is not null && rootLocal is not null && !SymbolEqualityComparer.Default.Equals(declared, rootLocal))
        {
            // Two names for one builder.
            return null;
        }

        var local = declared ?? rootLocal;
        if (local is null)
        {
            // A chain on a builder nothing else can reach (new ChatClientBuilder(…)…, AddChatClient(…)…;).
            return statement is IExpressionStatementOperation ? order.Result : null;
        }

        return ScanLaterStatements(statement, local, order, cancellationToken) ? order.Result : null;
    }

    /// <summary>
    /// Follows <paramref name="local"/> through the statements after <paramref name="statement"/> in its block. Returns
    /// whether every later use was read; <see langword="false"/> when the builder escapes or is used in a way this
    /// does not follow.
    /// </summary>
    private bool ScanLaterStatements(IOperation statement, ILocalSymbol local, StepOrder order, CancellationToken cancellationToken)
    {
        if (statement.Parent is not IBlockOperation block)
        {
            return false;
        }

        var statements = block.Operations;
        var index = IndexOf(statements, statement);
        if (index < 0)
        {
            return false;
        }

        var chain = new List<IInvocationOperation>();
        for (var i = index + 1; i < statements.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var later = statements[i];
            IOperation? value = null;
            var valueIsStatement = false;
            switch (later)
            {
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment }
                    when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    if (!IsChainOn(assignment.Value, local, chain))
                    {
                        // A new builder in the same variable: the old one is out of reach.
                        return !References(assignment.Value, local);
                    }

                    value = assignment.Value;
                    valueIsStatement = true;
                    break;

                case IExpressionStatementOperation expressionStatement:
                    value = expressionStatement.Operation;
                    valueIsStatement = true;
                    break;

                case IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
                    when group.Declarations[0].Declarators.Length == 1 && group.Declarations[0].Declarators[0].Initializer is { } initializer:
                    value = initializer.Value;
                    break;

                case IReturnOperation { ReturnedValue: { } returned }:
                    value = returned;
                    break;
            }

            if (value is null || !IsChainOn(value, local, chain))
            {
                if (References(later, local))
                {
                    return false;
                }

                continue;
            }

            for (var step = chain.Count - 1; step >= 0; step--)
            {
                order.Observe(chain[step], Classify(chain[step]));
            }

            if (!IsBuilder(value.Type))
            {
                // builder.Build(): the client is made; what is added afterwards goes into other clients.
                return true;
            }

            if (!valueIsStatement)
            {
                // var other = builder.Use…(); return builder…; — a second name, or out of reach.
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a chain of calls whose innermost receiver is <paramref name="local"/>;
    /// fills <paramref name="chain"/> with its calls, outermost first.
    /// </summary>
    private bool IsChainOn(IOperation value, ILocalSymbol local, List<IInvocationOperation> chain)
    {
        chain.Clear();
        var current = value.UnwrapImplicitConversions();
        while (current is IInvocationOperation invocation && Receiver(invocation) is { } receiver && IsBuilder(receiver.Type))
        {
            chain.Add(invocation);
            current = receiver.UnwrapImplicitConversions();
        }

        return chain.Count > 0
            && current is ILocalReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Local, local);
    }

    private PipelineStepKind Classify(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method is null)
        {
            return PipelineStepKind.Other;
        }

        method = method.ReducedFrom ?? method;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return PipelineStepKind.Other;
        }

        if (SymbolEqualityComparer.Default.Equals(type, guardExtensions))
        {
            return method.Name == "UseAgentGuard" ? PipelineStepKind.Guard : PipelineStepKind.Other;
        }

        if (functionInvocationExtensions is not null && SymbolEqualityComparer.Default.Equals(type, functionInvocationExtensions))
        {
            return PipelineStepKind.FunctionInvocation;
        }

        return method.Name == "Use" && SymbolEqualityComparer.Default.Equals(type, chatClientBuilder)
            ? ClassifyUse(invocation)
            : PipelineStepKind.Other;
    }

    /// <summary>
    /// <c>builder.Use(inner => new FunctionInvokingChatClient(inner) { … })</c> adds a tool loop, and
    /// <c>builder.Use(inner => new BudgetChatClient(inner, options))</c> a guard. A lambda that creates both, or a
    /// method group, is not judged.
    /// </summary>
    private PipelineStepKind ClassifyUse(IInvocationOperation invocation)
    {
        var createsToolLoop = false;
        var createsGuard = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.UnwrapImplicitConversions() is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                continue;
            }

            foreach (var operation in lambda.Body.Descendants())
            {
                if (operation is IObjectCreationOperation creation)
                {
                    createsToolLoop |= creation.Type.IsOrDerivesFrom(functionInvokingChatClient);
                    createsGuard |= creation.Type.IsOrDerivesFrom(budgetChatClient);
                }
            }
        }

        return createsToolLoop == createsGuard
            ? PipelineStepKind.Other
            : createsToolLoop ? PipelineStepKind.FunctionInvocation : PipelineStepKind.Guard;
    }

    /// <summary>The call that takes <paramref name="current"/>'s result as its receiver, if any.</summary>
    private static IInvocationOperation? NextInChain(IInvocationOperation current)
    {
        var parent = SkipConversionsUp(current, out var value);
        if (parent is IArgumentOperation { Parent: IInvocationOperation extensionCall, Parameter.Ordinal: 0 }
            && extensionCall.Instance is null
            && extensionCall.TargetMethod is { IsExtensionMethod: true })
        {
            return extensionCall;
        }

        return parent is IInvocationOperation instanceCall && instanceCall.Instance == value ? instanceCall : null;
    }

    /// <summary>The builder <paramref name="invocation"/> is called on, if it is called on one.</summary>
    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        if (invocation.Instance is { } instance)
        {
            return instance;
        }

        if (invocation.TargetMethod is not { IsExtensionMethod: true })
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The innermost receiver of the builder chain <paramref name="invocation"/> belongs to.</summary>
    private IOperation Root(IInvocationOperation invocation)
    {
        IOperation current = invocation;
        while (current is IInvocationOperation call && Receiver(call) is { } receiver && IsBuilder(receiver.Type))
        {
            current = receiver.UnwrapImplicitConversions();
        }

        return current;
    }

    private bool IsBuilder(ITypeSymbol? type)
        => type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, chatClientBuilder);

    private static IOperation? SkipConversionsUp(IOperation operation, out IOperation value)
    {
        value = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true })
        {
            value = parent;
            parent = parent.Parent;
        }

        return parent;
    }

    private static bool References(IOperation operation, ILocalSymbol local)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(ImmutableArray<IOperation> operations, IOperation operation)
    {
        for (var i = 0; i < operations.Length; i++)
        {
            if (operations[i] == operation)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Where the last tool loop is, and whether a guard was added inside it.</summary>
    private sealed class StepOrder
    {
        private IInvocationOperation? lastFunctionInvocation;
        private bool guardInside;

        public IInvocationOperation? Result => guardInside ? null : lastFunctionInvocation;

        public void Observe(IInvocationOperation step, PipelineStepKind kind)
        {
            switch (kind)
            {
                case PipelineStepKind.FunctionInvocation:
                    lastFunctionInvocation = step;
                    guardInside = false;
                    break;
                case PipelineStepKind.Guard when lastFunctionInvocation is not null:
                    guardInside = true;
                    break;
            }
        }
    }

    private enum PipelineStepKind
    {
        Other,
        FunctionInvocation,
        Guard,
    }
}
