using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// AG0005: a list of messages that a loop sends to a model and appends to, while nothing in the loop shrinks it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedHistoryAnalyzer : AgentGuardAnalyzer
{
    private const int MaxHelperDepth = 2;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0005_UnboundedHistory);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var cache = LoopAnalysisCache.For(symbols);
        var list = context.Compilation.GetSpecialType(SpecialType.System_Collections_Generic_IList_T);
        context.RegisterOperationAction(c => AnalyzeLoop(c, cache, list), OperationKind.Loop);
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, LoopAnalysisCache cache, INamedTypeSymbol? list)
    {
        if (context.Operation is not ILoopOperation loop || loop.Syntax is null)
        {
            return;
        }

        // Cheap first passes: can the loop reach a model call at all, judged by the names it invokes; then the model
        // calls (direct or through a helper) it makes.
        if (!cache.Names.MayReachModelCall(loop.Syntax))
        {
            return;
        }

        List<IInvocationOperation>? calls = null;
        foreach (var operation in loop.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
        {
            if (operation is IInvocationOperation invocation
                && invocation.Arguments.Length > 0
                && cache.Names.MayReachModelCall(invocation.TargetMethod, depth: 0)
                && !IsEvaluatedOnce(invocation, loop)
                && (cache.Reachability.ForInvocation(invocation) & Reach.ModelCall) != 0)
            {
                (calls ??= new List<IInvocationOperation>()).Add(invocation);
            }
        }

        if (calls is null)
        {
            return;
        }

        // A loop whose condition caps it at a few steps (`step < 8`) resends a history that cannot outgrow what the
        // fix would keep (two messages a step at least), and the run needs all of it: not reported. Longer or
        // open-ended loops, and chats paced by a person, are.
        if (ConstantStepLimit(loop) is int steps
            && steps * 2 <= EditorConfigOptions.GetInt(context.Options, loop.Syntax.SyntaxTree, EditorConfigOptions.MaxHistoryMessagesKey, EditorConfigOptions.DefaultMaxHistoryMessages))
        {
            return;
        }

        HashSet<ISymbol>? reported = null;
        foreach (var call in calls)
        {
            if (AgentSessionHistory.Find(call, loop, cache.Symbols, context.CancellationToken) is { } session)
            {
                if ((reported ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default)).Add(session.Symbol))
                {
                    var maxMessages = EditorConfigOptions.GetInt(context.Options, loop.Syntax.SyntaxTree, EditorConfigOptions.MaxHistoryMessagesKey, EditorConfigOptions.DefaultMaxHistoryMessages);
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.AG0005_UnboundedHistory,
                        session.Argument.Syntax.GetLocation(),
                        // The fix wraps the agent's chat client; an SDK client (an OpenAI ChatClient) has no pipeline to wrap.
                        session.Client.UnwrapImplicitConversions().Type.IsOrDerivesFrom(cache.Symbols.ChatClient) ? new[] { session.Client.Syntax.GetLocation() } : null,
                        LoopDiagnosticProperties.Create(kind: null, maxMessages, historyKind: LoopDiagnosticProperties.HistoryAgentSession),
                        session.Symbol.Name));
                }

                continue;
            }

            // A helper that makes the model call may turn what it is given into a fresh prompt (domain records, search
            // results): through a helper, only a list of chat messages counts as a history.
            var direct = cache.Symbols.IsModelCall(call.TargetMethod);
            if (direct && TrimmingClients.TrimsOnTheWay(ModelCallReceiver(call), call.SemanticModel, context.CancellationToken))
            {
                // The client or service reduces what it sends: the list may grow, the requests do not.
                continue;
            }

            foreach (var argument in call.Arguments)
            {
                var sent = SentCollection(argument.Value);
                var symbol = sent.ReferencedStorageSymbol();
                if (sent is null || symbol is null || !IsDeclaredOutside(symbol, loop) || reported?.Contains(symbol) == true)
                {
                    continue;
                }

                if (!direct && !HoldsChatMessages(sent.Type, cache, list))
                {
                    continue;
                }

                var appends = new List<IOperation>();
                if (!Touches(loop, symbol, Touch.Append, cache, context.Operation.SemanticModel, depth: 0, appends)
                    || Touches(loop, symbol, Touch.Shrink, cache, context.Operation.SemanticModel, depth: 0, found: null)
                    || AnInnerLoopAppends(call, loop, appends))
                {
                    continue;
                }

                (reported ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default)).Add(symbol);
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.AG0005_UnboundedHistory,
                    sent.Syntax.GetLocation(),
                    Properties(context, symbol, cache, list),
                    symbol.Name));
            }
        }
    }

    private enum Touch
    {
        Append,
        Shrink,
    }

    /// <summary>The collection an argument sends: <c>history</c>, or <c>history.ToList()</c> and the like.</summary>
    private static IOperation? SentCollection(IOperation? value)
    {
        value = value.UnwrapAllConversions();
        if (value is IObjectCreationOperation request)
        {
            // A request object that carries the conversation: Anthropic's MessageCreateParams { Messages = history },
            // OpenAI's new CreateResponseOptions(model, inputItems) or { InputItems = … }.
            value = RequestHistory(request);
        }

        if (value is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" or "AsReadOnly" or "AsEnumerable" or "ToImmutableArray" } copy)
        {
            value = (copy.Instance ?? (copy.Arguments.Length > 0 ? copy.Arguments[0].Value : null)).UnwrapAllConversions();
        }

        return value is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
            && value.Type is not null
            && value.Type.SpecialType != SpecialType.System_String
            ? value
            : null;
    }


    /// <summary>
    /// A call in a <c>foreach</c>'s collection (<c>await foreach (var update in agent.RunStreamingAsync(input, session))</c>)
    /// runs once, before the loop: the loop walks one response, it does not resend anything.
    /// </summary>
    private static bool IsEvaluatedOnce(IOperation call, ILoopOperation loop)
    {
        if (loop is not IForEachLoopOperation { Collection: { } collection })
        {
            return false;
        }

        for (var node = call; node is not null && node != loop; node = node.Parent)
        {
            if (node == collection)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The client or service a model call is made on: the instance, or an extension method's first argument.</summary>
    private static IOperation? ModelCallReceiver(IInvocationOperation call)
        => call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);

    /// <summary>The history a request object is built with, by the member names of <see cref="ModelApiCatalog.RequestHistoryMembers"/>.</summary>
    private static IOperation? RequestHistory(IObjectCreationOperation request)
    {
        foreach (var argument in request.Arguments)
        {
            if (argument.Parameter is { } parameter && IsHistoryMember(parameter.Name))
            {
                return argument.Value.UnwrapAllConversions();
            }
        }

        if (request.Initializer is { } initializer)
        {
            foreach (var element in initializer.Initializers)
            {
                if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment && IsHistoryMember(target.Property.Name))
                {
                    return assignment.Value.UnwrapAllConversions();
                }
            }
        }

        return null;
    }

    private static bool IsHistoryMember(string name)
    {
        foreach (var member in ModelApiCatalog.RequestHistoryMembers)
        {
            if (string.Equals(member, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredOutside(ISymbol symbol, ILoopOperation loop)
    {
        if (symbol is not ILocalSymbol local)
        {
            return true;
        }

        foreach (var location in local.Locations)
        {
            if (location.IsInSource && loop.Syntax.Span.Contains(location.SourceSpan))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The constant limit of a loop whose condition is <c>counter &lt; N</c> or <c>counter &lt;= N</c>.</summary>
    private static int? ConstantStepLimit(ILoopOperation loop)
    {
        var condition = loop switch
        {
            IForLoopOperation forLoop => forLoop.Condition,
            IWhileLoopOperation whileLoop => whileLoop.Condition,
            _ => null,
        };

        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } binary
            && binary.RightOperand.ConstantValue is { HasValue: true, Value: int limit }
            && binary.LeftOperand is ILocalReferenceOperation)
        {
            return binary.OperatorKind == BinaryOperatorKind.LessThanOrEqual ? limit + 1 : limit;
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="root"/> appends to (or shrinks) <paramref name="target"/>, directly or through a method
    /// of the compilation it passes the list to (or that works on the same field).
    /// </summary>
    private static bool Touches(IOperation root, ISymbol target, Touch touch, LoopAnalysisCache cache, SemanticModel? model, int depth, List<IOperation>? found)
    {
        var result = false;
        foreach (var operation in root.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: true))
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation or ICoalesceAssignmentOperation when touch == Touch.Shrink:
                    if (SymbolEquals(((IAssignmentOperation)operation).Target.ReferencedStorageSymbol(), target))
                    {
                        return true;
                    }

                    break;

                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (method is null)
                    {
                        break;
                    }

                    var receiver = method.IsExtensionMethod && invocation.Instance is null && invocation.Arguments.Length > 0
                        ? invocation.Arguments[0].Value
                        : invocation.Instance;
                    var onTarget = SymbolEquals(receiver.ReferencedStorageSymbol(), target);
                    if (onTarget && (touch == Touch.Append ? IsAppend(method.Name) : IsShrink(method.Name)))
                    {
                        found?.Add(invocation);
                        result = true;
                        if (found is null)
                        {
                            return true;
                        }

                        break;
                    }

                    // Passed to a trimming helper or a reducer: treat it as trimmed.
                    if (touch == Touch.Shrink && IsShrink(method.Name) && PassesTarget(invocation, target) >= 0)
                    {
                        return true;
                    }

                    if (depth >= MaxHelperDepth)
                    {
                        break;
                    }

                    var original = method.DeclaredDefinition();
                    if (original.DeclaringSyntaxReferences.Length == 0)
                    {
                        break;
                    }

                    ISymbol? calleeTarget = null;
                    var ordinal = PassesTarget(invocation, target);
                    if (ordinal >= 0 && ordinal < original.Parameters.Length)
                    {
                        calleeTarget = original.Parameters[ordinal];
                    }
                    else if (target is IFieldSymbol or IPropertySymbol
                        && SymbolEqualityComparer.Default.Equals(original.ContainingType, target.ContainingType))
                    {
                        calleeTarget = target;
                    }

                    if (calleeTarget is null)
                    {
                        break;
                    }

                    var body = cache.GetBodyOperation(original, model);
                    if (body is not null && Touches(body, calleeTarget, touch, cache, model, depth + 1, found: null))
                    {
                        found?.Add(invocation);
                        result = true;
                        if (found is null)
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return result;
    }

    /// <summary>The index of the argument (in the method's parameter order) that passes <paramref name="target"/>, or -1.</summary>
    private static int PassesTarget(IInvocationOperation invocation, ISymbol target)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not null && SymbolEquals(argument.Value.ReferencedStorageSymbol(), target))
            {
                var method = invocation.TargetMethod;
                return method.ReducedFrom is not null ? argument.Parameter.Ordinal + 1 : argument.Parameter.Ordinal;
            }
        }

        return -1;
    }

    /// <summary>Whether a loop nested in <paramref name="loop"/> both holds the call and appends: that loop reports instead.</summary>
    private static bool AnInnerLoopAppends(IOperation call, ILoopOperation loop, List<IOperation> appends)
    {
        for (var parent = call.Parent; parent is not null && parent != loop; parent = parent.Parent)
        {
            if (parent is not ILoopOperation inner || IsEvaluatedOnce(call, inner))
            {
                // A foreach over the call's own result does not repeat the call.
                continue;
            }

            foreach (var append in appends)
            {
                for (var ancestor = append.Parent; ancestor is not null && ancestor != loop; ancestor = ancestor.Parent)
                {
                    if (ancestor == inner)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool SymbolEquals(ISymbol? symbol, ISymbol target)
        => symbol is not null && SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, target.OriginalDefinition);

    private static bool IsAppend(string name)
        => name is "Add" or "AddRange" or "Insert" or "InsertRange" or "AddMessages" or "AddMessage"
            or "AddUserMessage" or "AddAssistantMessage" or "AddSystemMessage" or "AddDeveloperMessage";

    private static bool IsShrink(string name)
        => name is "RemoveAt" or "RemoveRange" or "RemoveAll" or "Remove" or "Clear"
            || Contains(name, "Trim") || Contains(name, "Reduce") || Contains(name, "Summar")
            || Contains(name, "Compact") || Contains(name, "Truncate") || Contains(name, "Prune");

    private static bool Contains(string name, string part) => name.IndexOf(part, StringComparison.Ordinal) >= 0;

    private static ImmutableDictionary<string, string?> Properties(OperationAnalysisContext context, ISymbol symbol, LoopAnalysisCache cache, INamedTypeSymbol? list)
    {
        var maxMessages = EditorConfigOptions.GetInt(context.Options, context.Operation.Syntax.SyntaxTree, EditorConfigOptions.MaxHistoryMessagesKey, EditorConfigOptions.DefaultMaxHistoryMessages);

        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };

        var element = ListElementType(type, list);
        if (element is null)
        {
            return LoopDiagnosticProperties.Create(kind: null, maxMessages);
        }

        var loop = cache.Loop;
        var kind = element.IsType(loop.MicrosoftExtensionsAIChatMessage) ? LoopDiagnosticProperties.HistoryChatMessageList
            : element.IsOrInheritsFrom(loop.SemanticKernelChatMessageContent) ? LoopDiagnosticProperties.HistorySemanticKernel
            : element.IsOrInheritsFrom(loop.OpenAIChatMessage) ? LoopDiagnosticProperties.HistoryOpenAI
            : LoopDiagnosticProperties.HistoryOtherList;
        return LoopDiagnosticProperties.Create(kind: null, maxMessages, historyKind: kind);
    }

    /// <summary>Whether a collection holds the messages of a model API (its element type, or SK's <c>ChatHistory</c>).</summary>
    private static bool HoldsChatMessages(ITypeSymbol? type, LoopAnalysisCache cache, INamedTypeSymbol? list)
    {
        var loop = cache.Loop;
        if (type.IsOrInheritsFrom(loop.SemanticKernelChatHistory))
        {
            return true;
        }

        var element = ListElementType(type, list) ?? EnumerableElementType(type);
        if (element is null)
        {
            return false;
        }

        if (element.IsType(loop.MicrosoftExtensionsAIChatMessage)
            || element.IsOrInheritsFrom(loop.SemanticKernelChatMessageContent)
            || element.IsOrInheritsFrom(loop.OpenAIChatMessage))
        {
            return true;
        }

        // Anthropic's MessageParam, OpenAI's ResponseItem and other SDKs' message types, by the namespace they live in.
        var ns = element.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("Anthropic", StringComparison.Ordinal) || ns.StartsWith("OpenAI", StringComparison.Ordinal);
    }

    private static ITypeSymbol? EnumerableElementType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return candidate.TypeArguments[0];
            }
        }

        return null;
    }

    private static ITypeSymbol? ListElementType(ITypeSymbol? type, INamedTypeSymbol? list)
    {
        if (type is null || list is null)
        {
            return null;
        }

        if (type is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, list))
        {
            return named.TypeArguments[0];
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, list))
            {
                return candidate.TypeArguments[0];
            }
        }

        return null;
    }
}
