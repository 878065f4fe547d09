using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Generator;

/// <summary>How the generator writes type names: <c>global::</c>-qualified, keywords for special types, and a
/// reserved keyword used as a name (a namespace <c>@class</c>) kept escaped so the name still compiles.</summary>
internal static class TypeFormats
{
    /// <summary><c>global::Shop.Order?</c>, <c>int</c>, <c>global::V1.@class.Order</c>.</summary>
    public static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
        | SymbolDisplayMiscellaneousOptions.UseSpecialTypes
        | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>As <see cref="Qualified"/>, without the <c>?</c> of a nullable reference type.</summary>
    public static readonly SymbolDisplayFormat QualifiedNonNullable = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
        SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
        | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);
}
