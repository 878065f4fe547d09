using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>A chat message created in code, with its role and the operation that gives its text.</summary>
internal readonly struct PromptMessage
{
    public PromptMessage(bool isSystem, IOperation content)
    {
        IsSystem = isSystem;
        Content = content;
    }

    /// <summary>A system or developer message: what the provider sees first and caches.</summary>
    public bool IsSystem { get; }

    public IOperation Content { get; }

    /// <summary>
    /// Recognizes <c>new ChatMessage(ChatRole.X, text)</c> (Microsoft.Extensions.AI), <c>new SystemChatMessage(text)</c>
    /// and <c>ChatMessage.CreateSystemMessage(text)</c> (OpenAI), <c>new ChatMessageContent(AuthorRole.X, text)</c> and
    /// <c>new ChatHistory(text)</c> (Semantic Kernel).
    /// </summary>
    public static PromptMessage? From(IOperation operation, PromptSymbols symbols)
    {
        switch (operation.UnwrapImplicitAndStringConversions())
        {
            case IObjectCreationOperation { Type: INamedTypeSymbol type } creation:
                // The name first: nearly every object a project creates is something else.
                if (type.Name is not ("ChatMessage" or "ChatMessageContent" or "SystemChatMessage" or "DeveloperChatMessage" or "UserChatMessage" or "AssistantChatMessage" or "ChatHistory"))
                {
                    return null;
                }

                if (Is(type, symbols.ChatMessage) || Is(type, symbols.ChatMessageContent))
                {
                    return WithRole(creation.Arguments);
                }

                if (Is(type, symbols.OpenAISystemMessage) || Is(type, symbols.OpenAIDeveloperMessage))
                {
                    return WithText(creation.Arguments, isSystem: true);
                }

                if (Is(type, symbols.OpenAIUserMessage) || Is(type, symbols.OpenAIAssistantMessage))
                {
                    return WithText(creation.Arguments, isSystem: false);
                }

                if (Is(type, symbols.ChatHistory))
                {
                    return creation.Arguments.Length >= 1 && creation.Arguments[0].Parameter?.Name == "systemMessage"
                        ? WithText(creation.Arguments, isSystem: true)
                        : null;
                }

                return null;

            case IInvocationOperation { TargetMethod: { ContainingType: { } type } method } invocation when Is(type, symbols.OpenAIChatMessage):
                return method.Name switch
                {
                    "CreateSystemMessage" or "CreateDeveloperMessage" => WithText(invocation.Arguments, isSystem: true),
                    "CreateUserMessage" => WithText(invocation.Arguments, isSystem: false),
                    _ => null,
                };

            default:
                return null;
        }
    }

    /// <summary>Recognizes <c>history.AddSystemMessage(text)</c> and its user and developer forms on a Semantic Kernel <c>ChatHistory</c>.</summary>
    public static PromptMessage? FromHistoryAdd(IInvocationOperation invocation, PromptSymbols symbols)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType is not { } type || !Is(type, symbols.ChatHistory))
        {
            return null;
        }

        return method.Name switch
        {
            "AddSystemMessage" or "AddDeveloperMessage" => WithText(invocation.Arguments, isSystem: true),
            "AddUserMessage" => WithText(invocation.Arguments, isSystem: false),
            _ => null,
        };
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? target)
        => target is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    private static PromptMessage? WithRole(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        IOperation? role = null;
        IOperation? content = null;
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type is { Name: "ChatRole" or "AuthorRole" })
            {
                role = argument.Value.UnwrapImplicitAndStringConversions();
            }
            else if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                content = argument.Value;
            }
        }

        if (role is null || content is null)
        {
            return null;
        }

        var isSystem = role is IPropertyReferenceOperation { Property: { IsStatic: true, Name: "System" or "Developer" } };
        return new PromptMessage(isSystem, content);
    }

    private static PromptMessage? WithText(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, bool isSystem)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return new PromptMessage(isSystem, argument.Value);
            }
        }

        return null;
    }
}
