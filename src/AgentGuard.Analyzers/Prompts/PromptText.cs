using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// Splits a prompt string into its stable and variable parts by following interpolation, concatenation,
/// <c>string.Format</c>, <c>string.Concat</c>, <c>StringBuilder</c> appends and locals or static readonly fields
/// initialized in the same file. A part the analyzer cannot read is variable.
/// </summary>
internal sealed partial class PromptText
{
    private const int MaxFollowDepth = 3;

    private readonly SemanticModel model;
    private readonly CancellationToken cancellationToken;

    private PromptText(SemanticModel model, CancellationToken cancellationToken)
    {
        this.model = model;
        this.cancellationToken = cancellationToken;
        Parts = new List<PromptPart>();
    }

    public List<PromptPart> Parts { get; }

    /// <summary>
    /// What the fix rewrites: the interpolated string, concatenation or <c>string.Format</c> call the text was read
    /// from, or the declarator of the <c>StringBuilder</c> that built it; <see langword="null"/> when there is none.
    /// </summary>
    public SyntaxNode? RewriteTarget { get; private set; }

    /// <summary>The <see cref="PromptFixProperties"/> fix kind that goes with <see cref="RewriteTarget"/>.</summary>
    public string? RewriteFix { get; private set; }

    public static PromptText Read(IOperation content, SemanticModel model, CancellationToken cancellationToken)
    {
        var text = new PromptText(model, cancellationToken);
        text.FindRewritable(content, 0);
        text.Add(content, 0);
        return text;
    }

    /// <summary>Whether every part is constant (a constant interpolated string is constant).</summary>
    public bool IsConstant
    {
        get
        {
            foreach (var part in Parts)
            {
                if (!part.IsConstant)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public int ConstantLength
    {
        get
        {
            var total = 0;
            foreach (var part in Parts)
            {
                total += part.ConstantLength;
            }

            return total;
        }
    }

    /// <summary>
    /// The first variable part (or, with <paramref name="volatileOnly"/>, the first part whose value differs on every
    /// call) and how much stable text follows it; <see langword="null"/> when there is none.
    /// </summary>
    public (PromptPart Part, int StableAfter)? FirstVariableBeforeStableText(bool volatileOnly)
    {
        for (var i = 0; i < Parts.Count; i++)
        {
            var part = Parts[i];
            if (part.IsConstant || (volatileOnly && part.VolatileSource is null))
            {
                continue;
            }

            var after = 0;
            for (var j = i + 1; j < Parts.Count; j++)
            {
                after += Parts[j].ConstantLength;
            }

            return (part, after);
        }

        return null;
    }

    private void FindRewritable(IOperation content, int depth)
    {
        var operation = content.UnwrapImplicitAndStringConversions();
        switch (operation)
        {
            case IInterpolatedStringOperation:
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
            case IInvocationOperation format when IsStringMethod(format, "Format"):
                RewriteTarget = operation.Syntax;
                RewriteFix = PromptFixProperties.FixReorderText;
                return;
            case IInvocationOperation { TargetMethod.Name: "ToString", Arguments.Length: 0, Instance: ILocalReferenceOperation builder } when IsStringBuilder(builder.Type)
                && builder.Local.DeclaringSyntaxReferences.Length == 1:
                RewriteTarget = builder.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
                RewriteFix = PromptFixProperties.FixReorderAppends;
                return;
            case ILocalReferenceOperation local when depth < MaxFollowDepth && LocalInitializer(local.Local) is { } initializer:
                FindRewritable(initializer, depth + 1);
                return;
        }
    }

    private void Add(IOperation content, int depth)
    {
        var operation = content.UnwrapImplicitAndStringConversions();
        if (operation.ConstantValue.HasValue)
        {
            if (operation.ConstantValue.Value is { } value)
            {
                AddConstant(operation.Syntax, System.Convert.ToString(value, CultureInfo.InvariantCulture)?.Length ?? 0);
            }

            return;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation text:
                            Add(text.Text, depth);
                            break;
                        case IInterpolationOperation { Alignment: null, FormatString: null } hole:
                            Add(hole.Expression, depth, hole.Syntax);
                            break;
                        default:
                            AddVariable(part.Syntax, part);
                            break;
                    }
                }

                return;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary when binary.Type?.SpecialType == SpecialType.System_String:
                Add(binary.LeftOperand, depth);
                Add(binary.RightOperand, depth);
                return;

            case IInvocationOperation invocation when IsStringMethod(invocation, "Concat"):
                foreach (var argument in invocation.Arguments)
                {
                    AddArgument(argument.Value, depth);
                }

                return;

            case IInvocationOperation invocation when IsStringMethod(invocation, "Format") && AllOrNothing(() => AddFormat(invocation, depth)):
                return;

            case IInvocationOperation { TargetMethod.Name: "ToString", Instance: ILocalReferenceOperation builder } when IsStringBuilder(builder.Type) && AllOrNothing(() => AddStringBuilder(builder.Local, depth)):
                return;

            case ILocalReferenceOperation local when depth < MaxFollowDepth && LocalInitializer(local.Local) is { } initializer:
                Add(initializer, depth + 1);
                return;

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field } when depth < MaxFollowDepth && FieldInitializer(field) is { } fieldInitializer:
                var before = Parts.Count;
                Add(fieldInitializer, depth + 1);
                if (AllConstantSince(before))
                {
                    // The field's text is the same on every call: one stable part at the reference.
                    var length = 0;
                    for (var i = before; i < Parts.Count; i++)
                    {
                        length += Parts[i].ConstantLength;
                    }

                    Parts.RemoveRange(before, Parts.Count - before);
                    AddConstant(operation.Syntax, length);
                }
                else
                {
                    Parts.RemoveRange(before, Parts.Count - before);
                    AddVariable(operation.Syntax, operation);
                }

                return;

            default:
                AddVariable(operation.Syntax, operation);
                return;
        }
    }

    private void Add(IOperation expression, int depth, SyntaxNode reportAt)
    {
        var operation = expression.UnwrapImplicitAndStringConversions();
        if (operation.ConstantValue.HasValue)
        {
            Add(operation, depth);
            return;
        }

        var before = Parts.Count;
        Add(operation, depth);

        // Report an interpolation hole at the hole, not at the expression inside it.
        for (var i = before; i < Parts.Count; i++)
        {
            var part = Parts[i];
            if (!part.IsConstant && part.Node == operation.Syntax)
            {
                Parts[i] = new PromptPart(reportAt, 0, part.VolatileSource, isConstant: false);
            }
        }
    }

    private void AddArgument(IOperation value, int depth)
    {
        var operation = value.UnwrapImplicitAndStringConversions();
        if (operation is IArrayCreationOperation { Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                Add(element, depth);
            }

            return;
        }

        Add(operation, depth);
    }

    private IOperation? LocalInitializer(ILocalSymbol local)
    {
        if (local.IsRef
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.SyntaxTree != model.SyntaxTree
            || declarator.EnclosingFunctionScope() is not { } scope)
        {
            return null;
        }

        // A local assigned again (prompt += …, prompt = …) holds more than its initializer.
        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } && left.Identifier.ValueText == local.Name)
            {
                return null;
            }

            if (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } && passed.Identifier.ValueText == local.Name)
            {
                return null;
            }
        }

        return model.GetOperation(value, cancellationToken);
    }

    private IOperation? FieldInitializer(IFieldSymbol field)
    {
        if (field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        return model.GetOperation(value, cancellationToken);
    }

    /// <summary>Runs a reader that may give up half way; when it does, drops the parts it had added.</summary>
    private bool AllOrNothing(System.Func<bool> read)
    {
        var before = Parts.Count;
        if (read())
        {
            return true;
        }

        Parts.RemoveRange(before, Parts.Count - before);
        return false;
    }

    private bool AllConstantSince(int index)
    {
        for (var i = index; i < Parts.Count; i++)
        {
            if (!Parts[i].IsConstant)
            {
                return false;
            }
        }

        return true;
    }

    private void AddConstant(SyntaxNode node, int length)
    {
        if (length > 0)
        {
            Parts.Add(new PromptPart(node, length, volatileSource: null, isConstant: true));
        }
    }

    private void AddVariable(SyntaxNode node, IOperation operation)
    {
        var volatileSource = VolatileValues.Find(operation);
        if (volatileSource is null && IsProcessStable(operation))
        {
            // Configuration read through members (an injected options object, a static setting): the same text on
            // every call of the process, so it does not defeat the provider's cache. Its length is unknown, so it
            // counts as stable but adds no characters.
            Parts.Add(new PromptPart(node, 0, volatileSource: null, isConstant: true));
            return;
        }

        Parts.Add(new PromptPart(node, 0, volatileSource, isConstant: false));
    }

    /// <summary>
    /// Whether <paramref name="operation"/> only reads fields and properties rooted at <c>this</c> or a static member
    /// (<c>_options.SystemPrompt</c>, <c>Settings.Product</c>) or at a primary constructor's parameter — no call,
    /// method parameter or local that could change per call.
    /// </summary>
    private static bool IsProcessStable(IOperation operation)
    {
        for (var depth = 0; depth < 8; depth++)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IFieldReferenceOperation field:
                    if (field.Instance is null || field.Instance is IInstanceReferenceOperation)
                    {
                        return true;
                    }

                    operation = field.Instance;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    if (property.Instance is null || property.Instance is IInstanceReferenceOperation)
                    {
                        return true;
                    }

                    operation = property.Instance;
                    continue;
                case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } constructor }:
                    // A primary constructor's parameter read in a member: a field in all but name.
                    return constructor.DeclaringSyntaxReferences.Length == 1
                        && constructor.DeclaringSyntaxReferences[0].GetSyntax() is TypeDeclarationSyntax;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsStringMethod(IInvocationOperation invocation, string name)
        => invocation.TargetMethod.Name == name && invocation.TargetMethod.ContainingType?.SpecialType == SpecialType.System_String;

    private static bool IsStringBuilder(ITypeSymbol? type)
        => type is { Name: "StringBuilder", ContainingNamespace: { Name: "Text", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

}
