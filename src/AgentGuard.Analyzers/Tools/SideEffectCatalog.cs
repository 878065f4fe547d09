using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Tools;

/// <summary>
/// The framework APIs AG0004 knows to have effects (files, HTTP, databases, mail, processes) and the verbs that
/// make a call on an injected service a write.
/// </summary>
internal sealed class SideEffectCatalog
{
    /// <summary>Verbs of write-named service methods; a name matches when it starts with one and the next character is not lower case.</summary>
    public static readonly string[] DefaultWriteVerbs =
    {
        "Save", "Send", "Delete", "Update", "Insert", "Create", "Publish", "Enqueue", "Charge", "Refund", "Pay",
        "Transfer", "Remove", "Upsert", "Write", "Post", "Put", "Patch", "Submit", "Cancel", "Approve", "Book",
        "Reserve", "Place", "Notify", "Email", "Dispatch", "Schedule", "Archive", "Purge", "Commit", "Issue",
        "Grant", "Revoke", "Register", "Unregister", "Subscribe", "Unsubscribe", "Trigger", "Deploy", "Restart",
        "Withdraw", "Deposit", "Capture", "Void", "Ship", "Fulfill", "Assign", "Close", "Reopen", "Merge",
    };

    private static readonly HashSet<string> CollectionMutators = new(StringComparer.Ordinal)
    {
        "Add", "AddRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "Clear", "Insert", "InsertRange",
        "Enqueue", "Dequeue", "Push", "Pop", "TryAdd", "TryRemove", "TryUpdate", "AddOrUpdate", "TryDequeue", "TryPop",
        "Sort", "Reverse",
    };

    private readonly string[] writeVerbs;

    private SideEffectCatalog(string[] writeVerbs)
    {
        this.writeVerbs = writeVerbs;
    }

    public static SideEffectCatalog Default { get; } = new(DefaultWriteVerbs);

    /// <summary>
    /// The catalogue for a <c>AG0004.side_effect_methods</c> value: names added to the built-in verbs, or, when the
    /// value starts with <c>!</c>, used instead of them.
    /// </summary>
    public static SideEffectCatalog FromOption(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var text = value!.Trim();
        var replace = text.StartsWith("!", StringComparison.Ordinal);
        if (replace)
        {
            text = text.Substring(1);
        }

        var verbs = new List<string>();
        if (!replace)
        {
            verbs.AddRange(DefaultWriteVerbs);
        }

        foreach (var entry in Infrastructure.EditorConfigOptions.SplitList(text))
        {
            verbs.Add(entry);
        }

        return new SideEffectCatalog(verbs.ToArray());
    }

    /// <summary>Whether <paramref name="methodName"/> reads as a write: <c>RefundAsync</c>, <c>SaveOrder</c>, <c>Send</c>.</summary>
    public bool IsWriteName(string methodName)
    {
        foreach (var verb in writeVerbs)
        {
            if (methodName.Length >= verb.Length
                && string.CompareOrdinal(methodName, 0, verb, 0, verb.Length) == 0
                && (methodName.Length == verb.Length || !char.IsLower(methodName[verb.Length])))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsCollectionMutator(IMethodSymbol method)
        => CollectionMutators.Contains(method.Name)
            && method.ContainingType?.ContainingNamespace?.ToDisplayString() is { } ns
            && ns.StartsWith("System.Collections", StringComparison.Ordinal);

    /// <summary>Calls that only write diagnostics: never a side effect worth keeping out of a cache.</summary>
    public static bool IsLogging(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal)
            || ns.StartsWith("Serilog", StringComparison.Ordinal)
            || ns.StartsWith("NLog", StringComparison.Ordinal)
            || (ns == "System" && type.Name == "Console")
            || (ns == "System.Diagnostics" && type.Name is "Debug" or "Trace" or "Activity" or "ActivitySource" or "Stopwatch");
    }

    /// <summary>Whether the type belongs to the framework, whose APIs are judged by the explicit catalogue only.</summary>
    public static bool IsFrameworkType(ITypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns == "System"
            || ns.StartsWith("System.", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>Describes a call to a framework API with a known effect, or returns <see langword="null"/>.</summary>
    public static string? DescribeKnownCall(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return null;
        }

        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        var typeName = type.Name;
        var name = method.Name;
        var display = typeName + "." + name;

        switch (ns)
        {
            case "System.IO":
                switch (typeName)
                {
                    case "File":
                        if (name.StartsWith("Delete", StringComparison.Ordinal))
                        {
                            return "deletes a file (" + display + ")";
                        }

                        if (StartsWithAny(name, "Write", "Append", "Move", "Copy", "Create", "Replace", "OpenWrite", "Encrypt", "Decrypt", "SetAttributes"))
                        {
                            return "writes a file (" + display + ")";
                        }

                        return null;
                    case "Directory":
                        return name is "CreateDirectory" or "Delete" or "Move"
                            ? "changes a directory (" + display + ")"
                            : null;
                    case "FileInfo":
                    case "DirectoryInfo":
                    case "FileSystemInfo":
                        return name is "Delete" or "MoveTo" or "CopyTo" or "Create" or "CreateText" or "AppendText" or "OpenWrite" or "Replace" or "CreateSubdirectory"
                            ? "writes to the file system (" + display + ")"
                            : null;
                }

                return null;

            case "System.Net.Http":
                if (typeName == "HttpClient" && name is "PostAsync" or "PutAsync" or "PatchAsync" or "DeleteAsync")
                {
                    return "sends an HTTP " + name.Substring(0, name.Length - "Async".Length).ToUpperInvariant() + " (" + display + ")";
                }

                return null;

            case "System.Net.Http.Json":
                return name switch
                {
                    "PostAsJsonAsync" => "sends an HTTP POST (" + display + ")",
                    "PutAsJsonAsync" => "sends an HTTP PUT (" + display + ")",
                    "PatchAsJsonAsync" => "sends an HTTP PATCH (" + display + ")",
                    "DeleteFromJsonAsync" => "sends an HTTP DELETE (" + display + ")",
                    _ => null,
                };

            case "System.Net.Mail":
                return name is "Send" or "SendAsync" or "SendMailAsync" ? "sends mail (" + display + ")" : null;

            case "System.Diagnostics":
                return typeName == "Process" && name is "Start" or "Kill" ? "starts or stops a process (" + display + ")" : null;

            case "System":
                return typeName == "Environment" && name is "SetEnvironmentVariable" or "Exit" or "FailFast"
                    ? "changes the process (" + display + ")"
                    : null;
        }

        if (ns.StartsWith("System.Data", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.Data", StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || ns.StartsWith("Dapper", StringComparison.Ordinal)
            || ns.StartsWith("Npgsql", StringComparison.Ordinal))
        {
            if (name.StartsWith("SaveChanges", StringComparison.Ordinal)
                || (name.StartsWith("Execute", StringComparison.Ordinal)
                    && !name.StartsWith("ExecuteReader", StringComparison.Ordinal)
                    && !name.StartsWith("ExecuteScalar", StringComparison.Ordinal)
                    && !name.StartsWith("ExecuteXmlReader", StringComparison.Ordinal)
                    && !name.StartsWith("ExecutionStrategy", StringComparison.Ordinal)))
            {
                return "writes to a database (" + display + ")";
            }

            if (typeName == "DbSet" && name is "Add" or "AddAsync" or "AddRange" or "AddRangeAsync" or "Remove" or "RemoveRange" or "Update" or "UpdateRange" or "Attach")
            {
                return "changes a database set (" + display + ")";
            }
        }

        // DbContext subclasses live in user namespaces.
        if (name.StartsWith("SaveChanges", StringComparison.Ordinal) && InheritsFromNamed(type, "DbContext"))
        {
            return "writes to a database (" + display + ")";
        }

        return null;
    }

    /// <summary>Describes a constructor with a known effect (opening a file for writing), or returns <see langword="null"/>.</summary>
    public static string? DescribeKnownCreation(Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol type
            || type.ContainingNamespace?.ToDisplayString() != "System.IO"
            || creation.Constructor is not { } constructor)
        {
            return null;
        }

        switch (type.Name)
        {
            case "StreamWriter":
                return constructor.Parameters.Length > 0 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_String
                    ? "writes a file (new StreamWriter)"
                    : null;
            case "FileStream":
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Value is Microsoft.CodeAnalysis.Operations.IFieldReferenceOperation { Field: { ContainingType.Name: "FileMode" or "FileAccess" } field }
                        && field.Name is "Create" or "CreateNew" or "Append" or "Truncate" or "OpenOrCreate" or "Write" or "ReadWrite")
                    {
                        return "opens a file for writing (new FileStream)";
                    }
                }

                return null;
        }

        return null;
    }

    private static bool StartsWithAny(string name, params string[] prefixes)
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

    private static bool InheritsFromNamed(ITypeSymbol type, string name)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == name)
            {
                return true;
            }
        }

        return false;
    }
}
