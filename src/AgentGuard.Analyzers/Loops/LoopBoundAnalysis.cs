using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Where a value comes from, as far as the loop rules care.</summary>
[Flags]
internal enum ValueFlags
{
    None = 0,

    /// <summary>Derived from a model's output.</summary>
    Model = 1,

    /// <summary>A bound: a counter compared with a limit, a budget, the clock, a timed token, the outside world.</summary>
    Bound = 2,

    /// <summary>Something else the analysis cannot judge (loop-invariant state, data from another API).</summary>
    Other = 4,
}

/// <summary>
/// Decides whether a loop, goto loop or recursive body that reaches a model call is bounded, and whether it is a
/// retry loop. The idea: find every way out of the region and the conditions that guard it, and track, for every
/// variable the region assigns, whether its value comes from the model, from a bound, or from something else.
/// <list type="bullet">
/// <item>A way out guarded by a bound (a counter compared with a limit, a budget check, the clock, a timed
/// cancellation token), an exception filter that counts, or a call that waits on the outside world each turn,
/// bounds the region.</item>
/// <item>A way out guarded only by the model's output (its text, its finish reason, a flag set from it), by a
/// plain cancellation token, or no way out at all, does not.</item>
/// <item>A way out guarded by anything else (a page token from another API, a field set elsewhere) gives the region
/// the benefit of the doubt: a noisy rule gets switched off.</item>
/// </list>
/// </summary>
internal sealed class LoopBoundAnalysis
{
    private static readonly string[] BudgetMethodPrefixes = { "ThrowIf", "Ensure", "Check", "TryConsume", "TrySpend", "TryReserve", "TryCharge", "Reserve", "Charge" };

    private readonly LoopRegion region;
    private readonly ModelCallReachability reachability;
    private readonly LoopSymbols loopSymbols;

    private readonly List<IInvocationOperation> invocations = new();
    private readonly List<(ISymbol Target, IOperation? Value, IOperation Node)> assignments = new();
    private readonly HashSet<ISymbol> stepped = new(SymbolEqualityComparer.Default);
    private readonly List<IOperation> exits = new();
    private readonly List<IOperation> continues = new();
    private readonly List<IOperation> filters = new();
    private readonly List<ITryOperation> tries = new();
    private readonly List<ISymbol> tokenSymbols = new();
    private readonly HashSet<ILabelSymbol> innerLabels = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IOperation> modelInvocations;
    private readonly Dictionary<ISymbol, ValueFlags> symbolFlags = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, bool> timedTokens = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> grown = new(SymbolEqualityComparer.Default);
    private bool hasYieldReturn;
    private bool tooDeep;

    private const int MaxTreeDepth = 400;

    private LoopBoundAnalysis(LoopRegion region, ModelCallReachability reachability, HashSet<IOperation> modelInvocations)
    {
        this.region = region;
        this.reachability = reachability;
        this.modelInvocations = modelInvocations;
        loopSymbols = reachability.Loop;
    }

    /// <summary>The facts of a region, computed once per compilation and shared by the loop rules.</summary>
    public static RegionFacts Analyze(LoopRegion region, ModelCallReachability reachability)
        => reachability.GetOrAddFacts(region.Key, () => Compute(region, reachability));

    private static RegionFacts Compute(LoopRegion region, ModelCallReachability reachability)
    {
        // Most loops call no model: find out with one cheap walk before building anything.
        var reach = Reach.None;
        HashSet<IOperation>? modelInvocations = null;
        foreach (var root in region.Roots)
        {
            foreach (var operation in OperationWalker.Descendants(root, includeLambdas: true))
            {
                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                var invocationReach = reachability.ForInvocation(invocation);
                if ((invocationReach & Reach.ModelCall) != 0)
                {
                    (modelInvocations ??= new HashSet<IOperation>()).Add(invocation);
                }

                reach |= invocationReach;
            }
        }

        if (modelInvocations is null)
        {
            return new RegionFacts(region.Kind, reach, isBounded: false, hasOtherExit: false, isUnboundedRetry: false);
        }

        return new LoopBoundAnalysis(region, reachability, modelInvocations).Run(reach);
    }

    private RegionFacts Run(Reach reach)
    {
        if (region.Kind == RegionKind.ForEach)
        {
            return new RegionFacts(region.Kind, reach, isBounded: true, hasOtherExit: false, isUnboundedRetry: false);
        }

        foreach (var root in region.Roots)
        {
            Collect(root, inLambda: false, nestedLoopDepth: 0);
        }

        if (tooDeep)
        {
            // Judge nothing rather than judge wrongly.
            return new RegionFacts(region.Kind, reach, isBounded: true, hasOtherExit: true, isUnboundedRetry: false);
        }

        ComputeSymbolFlags();

        var bounded = (reach & Reach.Pacing) != 0 || HasBoundOutsideExits();
        var hasOtherExit = hasYieldReturn;
        if (!bounded)
        {
            ClassifyExits(ref bounded, ref hasOtherExit);
        }

        var isRetry = !bounded && region.Kind != RegionKind.Recursion && IsRetry();
        return new RegionFacts(region.Kind, reach, bounded, hasOtherExit, isRetry);
    }

    // ---------------------------------------------------------------- collection

    private void Collect(IOperation operation, bool inLambda, int nestedLoopDepth, int depth = 0)
    {
        if (depth > MaxTreeDepth)
        {
            // Pathologically deep code (thousands of nested operators): stop rather than risk the stack.
            tooDeep = true;
            return;
        }

        switch (operation)
        {
            case ILocalFunctionOperation:
                return;

            case IAnonymousFunctionOperation:
                inLambda = true;
                break;

            case IInvocationOperation invocation:
                invocations.Add(invocation);
                if (!inLambda && region.IsRecursiveCall(invocation))
                {
                    continues.Add(invocation);
                }

                if (invocation.TargetMethod?.Name is "Add" or "AddRange" or "Enqueue" or "Push" or "Insert" or "InsertRange" or "TryAdd")
                {
                    // Filling a collection makes what it holds (and its Count) depend on what was put in: an agent
                    // that queues tasks the model invented runs as long as the model keeps inventing them.
                    var receiver = invocation.Instance
                        ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
                    AddAssignment(receiver, invocation, invocation);
                    var grownSymbol = SymbolOf(receiver);
                    if (grownSymbol is not null)
                    {
                        grown.Add(grownSymbol);
                    }
                }

                break;

            case IIncrementOrDecrementOperation increment:
                AddStepped(increment.Target);
                break;

            case ICompoundAssignmentOperation compound:
                if (compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract)
                {
                    AddStepped(compound.Target);
                }

                AddAssignment(compound.Target, compound.Value, compound);
                break;

            case ISimpleAssignmentOperation simple:
                AddAssignment(simple.Target, simple.Value, simple);
                if (OperationWalker.Unwrap(simple.Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step
                    && (SameSymbol(step.LeftOperand, simple.Target) || SameSymbol(step.RightOperand, simple.Target)))
                {
                    AddStepped(simple.Target);
                }

                break;

            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in OperationWalker.Descendants(deconstruction.Target, includeLambdas: false))
                {
                    if (target is ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation)
                    {
                        AddAssignment(target, deconstruction.Value, deconstruction);
                    }
                    else if (target is IDeclarationExpressionOperation declaration)
                    {
                        foreach (var local in OperationWalker.Descendants(declaration, includeLambdas: false))
                        {
                            if (local is ILocalReferenceOperation localReference)
                            {
                                AddAssignment(localReference, deconstruction.Value, deconstruction);
                            }
                        }
                    }
                }

                break;

            case IVariableDeclaratorOperation declarator:
                if (declarator.Symbol is not null)
                {
                    assignments.Add((declarator.Symbol, declarator.Initializer?.Value, declarator));
                }

                break;

            case IDeclarationPatternOperation pattern:
                if (pattern.DeclaredSymbol is not null)
                {
                    assignments.Add((pattern.DeclaredSymbol, MatchedValue(pattern), pattern));
                }

                break;

            case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument:
                AddAssignment(argument.Value, argument.Parent, argument);
                break;

            case IForEachLoopOperation forEach:
                foreach (var local in forEach.Locals)
                {
                    assignments.Add((local, forEach.Collection, forEach));
                }

                break;

            case IBranchOperation branch when !inLambda:
                ClassifyBranch(branch);
                break;

            case IReturnOperation returnOperation when !inLambda:
                if (returnOperation.Kind == OperationKind.YieldReturn)
                {
                    // An iterator runs only as far as its consumer pulls: the consumer paces it.
                    hasYieldReturn = true;
                }
                else if (!ContainsRecursiveCall(returnOperation.ReturnedValue))
                {
                    exits.Add(returnOperation);
                }

                break;

            case IThrowOperation when !inLambda:
                exits.Add(operation);
                break;

            case ICatchClauseOperation catchClause:
                if (catchClause.Filter is not null)
                {
                    filters.Add(catchClause.Filter);
                }

                break;

            case ITryOperation tryOperation when !inLambda && nestedLoopDepth == 0:
                tries.Add(tryOperation);
                break;

            case ILocalReferenceOperation localReference when loopSymbols.IsCancellationType(localReference.Type):
                tokenSymbols.Add(localReference.Local);
                break;
        }

        if (operation is ILoopOperation innerLoop && !region.Roots.Contains(operation))
        {
            innerLabels.Add(innerLoop.ExitLabel);
            innerLabels.Add(innerLoop.ContinueLabel);
            nestedLoopDepth++;
        }
        else if (operation is ISwitchOperation switchOperation)
        {
            innerLabels.Add(switchOperation.ExitLabel);
        }

        foreach (var child in operation.ChildOperations)
        {
            if (child is not null)
            {
                Collect(child, inLambda, nestedLoopDepth, depth + 1);
            }
        }
    }

    private void ClassifyBranch(IBranchOperation branch)
    {
        var target = branch.Target;
        if (target is null)
        {
            return;
        }

        switch (branch.BranchKind)
        {
            case BranchKind.Continue:
                if (innerLabels.Contains(target))
                {
                    return;
                }

                if (region.ContinueLabel is not null && SymbolEqualityComparer.Default.Equals(target, region.ContinueLabel))
                {
                    continues.Add(branch);
                    return;
                }

                exits.Add(branch);
                return;

            case BranchKind.Break:
                if (!innerLabels.Contains(target))
                {
                    exits.Add(branch);
                }

                return;

            case BranchKind.GoTo:
                if (region.BackwardGoto is not null && branch == region.BackwardGoto)
                {
                    continues.Add(branch);
                    return;
                }

                foreach (var location in target.Locations)
                {
                    if (location.IsInSource && region.Span.Contains(location.SourceSpan))
                    {
                        return;
                    }
                }

                exits.Add(branch);
                return;
        }
    }

    private void AddAssignment(IOperation? target, IOperation? value, IOperation node)
    {
        var symbol = SymbolOf(target);
        if (symbol is not null)
        {
            assignments.Add((symbol, value, node));
        }
    }

    private void AddStepped(IOperation? target)
    {
        var symbol = SymbolOf(target);
        if (symbol is not null)
        {
            stepped.Add(symbol);
        }
    }

    private static ISymbol? SymbolOf(IOperation? operation)
        => OperationWalker.Unwrap(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

    private static bool SameSymbol(IOperation? operation, IOperation? other)
    {
        var symbol = SymbolOf(operation);
        return symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, SymbolOf(other));
    }

    private static IOperation? MatchedValue(IOperation pattern)
    {
        for (var current = pattern.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IIsPatternOperation isPattern:
                    return isPattern.Value;
                case ISwitchExpressionOperation switchExpression:
                    return switchExpression.Value;
                case ISwitchOperation switchOperation:
                    return switchOperation.Value;
            }
        }

        return null;
    }

    private bool ContainsRecursiveCall(IOperation? value)
    {
        if (value is null || region.RecursiveTargets.IsDefaultOrEmpty)
        {
            return false;
        }

        foreach (var operation in OperationWalker.Descendants(value, includeLambdas: false))
        {
            if (operation is IInvocationOperation invocation && region.IsRecursiveCall(invocation))
            {
                return true;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- value flags

    private void ComputeSymbolFlags()
    {
        foreach (var parameter in region.DepthParameters)
        {
            stepped.Add(parameter);
        }

        foreach (var (target, _, _) in assignments)
        {
            if (!symbolFlags.ContainsKey(target))
            {
                symbolFlags[target] = ValueFlags.None;
            }
        }

        // Flags only grow, so this reaches a fixed point; a few rounds cover any realistic chain of assignments.
        for (var round = 0; round < 6; round++)
        {
            var changed = false;
            foreach (var (target, value, node) in assignments)
            {
                var flags = Evaluate(value) | ControlFlags(node, out _);
                var current = symbolFlags[target];
                if ((current | flags) != current)
                {
                    symbolFlags[target] = current | flags;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }
    }

    /// <summary>Where the value of an expression comes from.</summary>
    private ValueFlags Evaluate(IOperation? operation) => Evaluate(operation, 0);

    private ValueFlags Evaluate(IOperation? operation, int depth)
    {
        if (operation is null || operation.ConstantValue.HasValue)
        {
            return ValueFlags.None;
        }

        if (depth > MaxTreeDepth)
        {
            return ValueFlags.Other;
        }

        depth++;

        switch (operation)
        {
            case IAnonymousFunctionOperation:
            case ILocalFunctionOperation:
                return ValueFlags.None;

            case IInvocationOperation invocation:
            {
                var flags = ValueFlags.None;
                if (modelInvocations.Contains(invocation))
                {
                    flags |= ValueFlags.Model;
                }

                var target = invocation.TargetMethod;
                if (target is not null)
                {
                    if ((reachability.ForInvocation(invocation) & Reach.Pacing) != 0
                        || LoopSymbols.IsAgentGuardRuntimeMember(target)
                        || loopSymbols.IsClockMember(target))
                    {
                        flags |= ValueFlags.Bound;
                    }
                }

                flags |= Evaluate(invocation.Instance, depth);
                foreach (var argument in invocation.Arguments)
                {
                    flags |= Evaluate(argument.Value, depth);
                }

                return flags;
            }

            case IBinaryOperation binary:
            {
                var flags = Evaluate(binary.LeftOperand, depth) | Evaluate(binary.RightOperand, depth);
                if (IsCounterComparison(binary))
                {
                    flags |= ValueFlags.Bound;
                }

                return flags;
            }

            case ILocalReferenceOperation local:
                return FlagsOfSymbol(local.Local, local.Type);

            case IParameterReferenceOperation parameter:
                return FlagsOfSymbol(parameter.Parameter, parameter.Type);

            case IFieldReferenceOperation or IPropertyReferenceOperation:
            {
                var member = ((IMemberReferenceOperation)operation).Member;
                if (LoopSymbols.IsAgentGuardRuntimeMember(member) || loopSymbols.IsClockMember(member))
                {
                    return ValueFlags.Bound;
                }

                if (symbolFlags.TryGetValue(member, out var memberFlags))
                {
                    return memberFlags;
                }

                var instance = ((IMemberReferenceOperation)operation).Instance;
                if (instance is null)
                {
                    return loopSymbols.IsCancellationType(operation.Type) ? ValueFlags.None : ValueFlags.Other;
                }

                var flags = Evaluate(instance, depth);
                if (operation is IPropertyReferenceOperation indexer)
                {
                    foreach (var argument in indexer.Arguments)
                    {
                        flags |= Evaluate(argument.Value, depth);
                    }
                }

                return flags;
            }

            case IInstanceReferenceOperation:
                return ValueFlags.Other;

            case IIncrementOrDecrementOperation increment:
                return Evaluate(increment.Target, depth);
        }

        var result = ValueFlags.None;
        foreach (var child in operation.ChildOperations)
        {
            result |= Evaluate(child, depth);
        }

        return result;
    }

    private ValueFlags FlagsOfSymbol(ISymbol symbol, ITypeSymbol? type)
    {
        if (symbolFlags.TryGetValue(symbol, out var flags))
        {
            return flags;
        }

        if (loopSymbols.IsCancellationType(type))
        {
            return IsTimedToken(symbol) ? ValueFlags.Bound : ValueFlags.None;
        }

        return ValueFlags.Other;
    }

    /// <summary>
    /// <c>steps &lt; MaxSteps</c>, <c>++attempt &gt;= 3</c>, <c>turn == limit</c>: a comparison with a counter that
    /// the region steps (or that the code keeps in a field or property of its own).
    /// </summary>
    private bool IsCounterComparison(IBinaryOperation binary)
    {
        switch (binary.OperatorKind)
        {
            case BinaryOperatorKind.LessThan:
            case BinaryOperatorKind.LessThanOrEqual:
                return IsCounter(binary.LeftOperand, relational: true) || IsCounter(binary.RightOperand, relational: true)
                    || IsGrownCount(binary.LeftOperand);
            case BinaryOperatorKind.GreaterThan:
            case BinaryOperatorKind.GreaterThanOrEqual:
                return IsCounter(binary.LeftOperand, relational: true) || IsCounter(binary.RightOperand, relational: true)
                    || IsGrownCount(binary.RightOperand);
            case BinaryOperatorKind.Equals:
            case BinaryOperatorKind.NotEquals:
                return IsCounter(binary.LeftOperand, relational: false) || IsCounter(binary.RightOperand, relational: false);
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>results.Count</c> on the small side of a comparison (<c>results.Count &lt; 10</c>) while the region adds
    /// to <c>results</c>: the collection counts the steps. (<c>queue.Count &gt; 0</c> is the opposite: a drain.)
    /// </summary>
    private bool IsGrownCount(IOperation? operand)
        => OperationWalker.Unwrap(operand) is IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongCount", Instance: { } collection }
            && SymbolOf(collection) is { } collectionSymbol
            && grown.Contains(collectionSymbol);

    private bool IsCounter(IOperation? operand, bool relational)
    {
        operand = OperationWalker.Unwrap(operand);
        if (operand is null || operand.ConstantValue.HasValue)
        {
            return false;
        }

        if (operand is IIncrementOrDecrementOperation)
        {
            return true;
        }

        var symbol = SymbolOf(operand);
        if (symbol is null || !IsIntegral(operand.Type))
        {
            return false;
        }

        if (stepped.Contains(symbol))
        {
            return true;
        }

        if (!relational || symbol is ILocalSymbol || symbol is IParameterSymbol)
        {
            return false;
        }

        if (operand is IMemberReferenceOperation { Instance: { } instance } && (Evaluate(instance) & ValueFlags.Model) != 0)
        {
            // A number read from the model's output (a score, a count) is not a counter.
            return false;
        }

        // A counter the code keeps in its own field or property may be stepped elsewhere (a helper, a callback).
        return LoopSymbols.IsAgentGuardRuntimeMember(symbol)
            || (symbol.DeclaringSyntaxReferences.Length > 0
                && !(symbolFlags.TryGetValue(symbol, out var flags) && (flags & ValueFlags.Model) != 0));
    }

    private static bool IsIntegral(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UInt16
            or SpecialType.System_Byte or SpecialType.System_SByte;

    /// <summary>
    /// A cancellation token source created with a timeout, or one on which <c>CancelAfter</c> is called, or a token
    /// taken from one: it bounds a loop in time. A token the caller passes in does not.
    /// </summary>
    private bool IsTimedToken(ISymbol symbol)
    {
        if (timedTokens.TryGetValue(symbol, out var timed))
        {
            return timed;
        }

        timedTokens[symbol] = false;
        timed = ComputeIsTimedToken(symbol, depth: 0);
        timedTokens[symbol] = timed;
        return timed;
    }

    private bool ComputeIsTimedToken(ISymbol symbol, int depth)
    {
        if (symbol is not ILocalSymbol local || depth > 2)
        {
            return false;
        }

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not VariableDeclaratorSyntax declarator)
            {
                continue;
            }

            switch (declarator.Initializer?.Value)
            {
                case BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 }:
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Token", Expression: IdentifierNameSyntax source }:
                    var sourceLocal = FindLocal(declarator, source.Identifier.ValueText);
                    if (sourceLocal is not null && ComputeIsTimedToken(sourceLocal, depth + 1))
                    {
                        return true;
                    }

                    break;
            }

            var body = declarator.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax or AccessorDeclarationSyntax);
            if (body is null)
            {
                continue;
            }

            foreach (var node in body.DescendantNodes())
            {
                if (node is InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax
                        {
                            Name.Identifier.ValueText: "CancelAfter",
                            Expression: IdentifierNameSyntax target,
                        },
                    }
                    && target.Identifier.ValueText == local.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private ISymbol? FindLocal(SyntaxNode near, string name)
    {
        var model = reachability.GetModel(near.SyntaxTree, preferredModel: null);
        if (model is null)
        {
            return null;
        }

        foreach (var symbol in model.LookupSymbols(near.SpanStart, name: name))
        {
            if (symbol is ILocalSymbol)
            {
                return symbol;
            }
        }

        return null;
    }

    // ---------------------------------------------------------------- bounds and exits

    /// <summary>Bounds that are not tied to one way out: filters that count, budget calls, ThrowIf guards, timed tokens.</summary>
    private bool HasBoundOutsideExits()
    {
        if (region.Condition?.ConstantValue is { HasValue: true, Value: false })
        {
            // `do { … } while (false)`: runs once.
            return true;
        }

        foreach (var filter in filters)
        {
            if ((Evaluate(filter) & ValueFlags.Bound) != 0)
            {
                return true;
            }
        }

        foreach (var invocation in invocations)
        {
            var target = invocation.TargetMethod;
            if (target is null)
            {
                continue;
            }

            var name = target.Name;
            if (LoopSymbols.IsAgentGuardRuntimeMember(target) && StartsWithAny(name, BudgetMethodPrefixes))
            {
                return true;
            }

            if (name.StartsWith("ThrowIf", StringComparison.Ordinal) && !LoopSymbols.IsAgentGuardRuntimeMember(target))
            {
                foreach (var argument in invocation.Arguments)
                {
                    if (IsCounter(argument.Value, relational: true) || (Evaluate(argument.Value) & ValueFlags.Bound) != 0)
                    {
                        return true;
                    }
                }
            }
        }

        foreach (var token in tokenSymbols)
        {
            if (IsTimedToken(token))
            {
                return true;
            }
        }

        return region.Condition is not null && (Evaluate(region.Condition) & ValueFlags.Bound) != 0;
    }

    private void ClassifyExits(ref bool bounded, ref bool hasOtherExit)
    {
        // What the "keep going" paths depend on: an exit that is not itself conditional happens when none of them is taken.
        var continueFlags = ValueFlags.None;
        var hasContinue = false;
        foreach (var continuation in continues)
        {
            var flags = ControlFlags(continuation, out var inCatch);
            if ((flags & ValueFlags.Bound) != 0)
            {
                bounded = true;
                return;
            }

            // A method that calls itself again when something failed keeps going as long as it fails: for
            // recursion that path counts; in a loop it is a retry, which AG0006 judges.
            if (!inCatch || region.Kind == RegionKind.Recursion)
            {
                hasContinue = true;
                continueFlags |= flags;
            }
        }

        if (region.Condition is not null)
        {
            Judge(Evaluate(region.Condition), ref hasOtherExit);
        }

        if (IsGatedByOtherData())
        {
            // The model is only called when data from elsewhere says so (a job fetched from a store, an item
            // from a queue the rule does not know): that data paces the loop.
            hasOtherExit = true;
        }

        if (region.Kind == RegionKind.GotoLoop && region.BackwardGoto is not null)
        {
            // Not taking the goto is the way out.
            var flags = ControlFlags(region.BackwardGoto, out _);
            Judge(flags, ref hasOtherExit);
        }

        if (region.Kind == RegionKind.Recursion)
        {
            // Falling off the end of the body.
            Judge(hasContinue ? continueFlags : ValueFlags.Other, ref hasOtherExit);
        }

        foreach (var exit in exits)
        {
            var flags = ControlFlags(exit, out var inCatch);
            if ((flags & ValueFlags.Bound) != 0)
            {
                bounded = true;
                return;
            }

            if (inCatch)
            {
                // Leaving when something failed is not a bound, and says nothing about the model.
                continue;
            }

            if (!HasConditions(exit))
            {
                flags = hasContinue ? continueFlags : ValueFlags.Other;
            }

            Judge(flags, ref hasOtherExit);
        }
    }

    private bool IsGatedByOtherData()
    {
        foreach (var continuation in continues)
        {
            if (continuation is IBranchOperation { BranchKind: BranchKind.Continue })
            {
                var flags = ControlFlags(continuation, out var inCatch);
                if (!inCatch && IsOtherOnly(flags))
                {
                    return true;
                }
            }
        }

        foreach (var call in modelInvocations)
        {
            if (!IsOtherOnly(ControlFlags(call, out _)))
            {
                return false;
            }
        }

        return modelInvocations.Count > 0;
    }

    private static bool IsOtherOnly(ValueFlags flags)
        => (flags & ValueFlags.Other) != 0 && (flags & ValueFlags.Model) == 0;

    private static void Judge(ValueFlags flags, ref bool hasOtherExit)
    {
        if ((flags & ValueFlags.Model) == 0 && (flags & ValueFlags.Other) != 0)
        {
            hasOtherExit = true;
        }
    }

    private bool HasConditions(IOperation operation)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (region.Roots.Contains(child) || IsRegionLoop(parent))
            {
                return false;
            }

            if (IsControlling(parent, child) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The flags of every condition that decides whether <paramref name="operation"/> runs, within the region.</summary>
    private ValueFlags ControlFlags(IOperation operation, out bool inCatch)
    {
        inCatch = false;
        var flags = ValueFlags.None;
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (region.Roots.Contains(child) || IsRegionLoop(parent))
            {
                break;
            }

            if (parent is ICatchClauseOperation)
            {
                inCatch = true;
            }

            var condition = IsControlling(parent, child);
            if (condition is not null)
            {
                flags |= Evaluate(condition);
            }
        }

        return flags;
    }

    /// <summary>The loop the region is, whose own condition is judged separately.</summary>
    private bool IsRegionLoop(IOperation operation)
        => operation is ILoopOperation && region.Kind is RegionKind.Loop or RegionKind.ForEach && region.Roots.Contains(operation);

    /// <summary>The condition of <paramref name="parent"/> that decides whether <paramref name="child"/> runs, if any.</summary>
    private static IOperation? IsControlling(IOperation parent, IOperation child)
        => parent switch
        {
            IConditionalOperation conditional when child != conditional.Condition => conditional.Condition,
            ISwitchOperation switchOperation when child != switchOperation.Value => switchOperation.Value,
            ISwitchExpressionOperation switchExpression when child != switchExpression.Value => switchExpression.Value,
            IWhileLoopOperation whileLoop when child != whileLoop.Condition => whileLoop.Condition,
            IForLoopOperation forLoop when child != forLoop.Condition => forLoop.Condition,
            IForEachLoopOperation forEach when child != forEach.Collection => forEach.Collection,
            ICoalesceOperation coalesce when child != coalesce.Value => coalesce.Value,
            IConditionalAccessOperation access when child != access.Operation => access.Operation,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical
                when child == logical.RightOperand => logical.LeftOperand,
            _ => null,
        };

    // ---------------------------------------------------------------- retries

    /// <summary>
    /// A try whose body reaches a model call, a catch that swallows the failure and goes round again, and a way out
    /// that is the call's success.
    /// </summary>
    private bool IsRetry()
    {
        foreach (var tryOperation in tries)
        {
            if (tryOperation.Body is null || !BodyReachesModel(tryOperation.Body))
            {
                continue;
            }

            var swallows = false;
            foreach (var catchClause in tryOperation.Catches)
            {
                if (Swallows(catchClause))
                {
                    swallows = true;
                    break;
                }
            }

            if (swallows && SucceedsOut(tryOperation))
            {
                return true;
            }
        }

        return false;
    }

    private bool BodyReachesModel(IOperation body)
    {
        foreach (var operation in OperationWalker.Descendants(body, includeLambdas: true))
        {
            if (operation is IInvocationOperation invocation && modelInvocations.Contains(invocation))
            {
                return true;
            }
        }

        return false;
    }

    private bool Swallows(ICatchClauseOperation catchClause)
    {
        var handler = catchClause.Handler;
        if (handler is null)
        {
            return false;
        }

        foreach (var operation in OperationWalker.Descendants(handler, includeLambdas: false))
        {
            if (continues.Contains(operation))
            {
                return true;
            }
        }

        if (region.Kind == RegionKind.GotoLoop)
        {
            return false;
        }

        var statements = handler.Operations;
        if (statements.Length == 0)
        {
            return true;
        }

        return statements[statements.Length - 1] switch
        {
            IThrowOperation => false,
            IExpressionStatementOperation { Operation: IThrowOperation } => false,
            IReturnOperation => false,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo } => false,
            _ => true,
        };
    }

    private bool SucceedsOut(ITryOperation tryOperation)
    {
        if (region.Kind == RegionKind.GotoLoop)
        {
            // The goto back is in a catch (see Swallows): finishing the try is the way out.
            return true;
        }

        var body = tryOperation.Body;
        foreach (var exit in exits)
        {
            if (exit is not IThrowOperation && IsWithin(exit, body))
            {
                return true;
            }
        }

        if (region.Condition is null)
        {
            return false;
        }

        foreach (var (target, _, node) in assignments)
        {
            if (!IsWithin(node, body))
            {
                continue;
            }

            foreach (var operation in OperationWalker.Descendants(region.Condition, includeLambdas: false))
            {
                var symbol = SymbolOf(operation);
                if (symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, target))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsWithin(IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
