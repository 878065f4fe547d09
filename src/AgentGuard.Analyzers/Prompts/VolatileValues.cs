using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// Values that differ on every call and so can never be part of a shared prompt prefix: the clock, new GUIDs,
/// random numbers, stopwatches and tick counts.
/// </summary>
internal static class VolatileValues
{
    /// <summary>The first such value in <paramref name="operation"/>, as the user wrote it (<c>DateTime.Now</c>), or <see langword="null"/>.</summary>
    public static string? Find(IOperation operation)
    {
        foreach (var inner in operation.DescendantsAndSelf())
        {
            switch (inner)
            {
                case IPropertyReferenceOperation { Property: { } property }:
                    if (Describe(property.ContainingType, property.Name) is { } described)
                    {
                        return described;
                    }

                    break;
                case IInvocationOperation { TargetMethod: { } method }:
                    if (Describe(method.ContainingType, method.Name) is { } call)
                    {
                        return call + "()";
                    }

                    break;
                case IObjectCreationOperation { Type: { } type } when IsSystemType(type, "Random"):
                    return "new Random()";
            }
        }

        return null;
    }

    private static string? Describe(INamedTypeSymbol? type, string member)
    {
        if (type is null)
        {
            return null;
        }

        if (IsSystemType(type, "DateTime") || IsSystemType(type, "DateTimeOffset"))
        {
            return member is "Now" or "UtcNow" ? type.Name + "." + member : null;
        }

        if (IsSystemType(type, "Guid"))
        {
            return member == "NewGuid" ? "Guid.NewGuid" : null;
        }

        if (IsSystemType(type, "Environment"))
        {
            return member is "TickCount" or "TickCount64" ? "Environment." + member : null;
        }

        if (IsSystemType(type, "Random"))
        {
            return "Random." + member;
        }

        if (IsSystemType(type, "TimeProvider"))
        {
            return member is "GetUtcNow" or "GetLocalNow" or "GetTimestamp" ? "TimeProvider." + member : null;
        }

        if (type.Name == "Stopwatch" && type.ContainingNamespace?.ToDisplayString() == "System.Diagnostics")
        {
            return "Stopwatch." + member;
        }

        return null;
    }

    private static bool IsSystemType(ITypeSymbol type, string name)
        => type.Name == name && type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
}
