using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentGuard.Testing;

/// <summary>Converts between Microsoft.Extensions.AI requests and responses and their cassette form.</summary>
internal static class CassetteConversion
{
    public static CassetteRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = new CassetteRequest
        {
            ModelId = options?.ModelId,
            MaxOutputTokens = options?.MaxOutputTokens,
            Instructions = options?.Instructions,
            ToolMode = ToolModeOf(options?.ToolMode),
        };

        if (options?.Tools is { } tools)
        {
            foreach (var tool in tools)
            {
                request.Tools.Add(new CassetteTool
                {
                    Name = tool.Name,
                    Description = string.IsNullOrEmpty(tool.Description) ? null : tool.Description,
                    Schema = tool is AIFunctionDeclaration function ? CanonicalJsonText.Of(function.JsonSchema) : null,
                });
            }
        }

        request.Messages.AddRange(messages.Select(ToMessage));
        return request;
    }

    public static CassetteResponse ToResponse(ChatResponse response)
        => new()
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason?.Value,
            Messages = response.Messages.Select(ToMessage).ToList(),
            Usage = ToUsage(response.Usage),
        };

    public static CassetteMessage ToMessage(ChatMessage message)
    {
        var recorded = new CassetteMessage { Role = message.Role.Value, AuthorName = message.AuthorName };
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    recorded.Contents.Add(new CassetteContent { Kind = CassetteContent.TextKind, Text = text.Text });
                    break;
                case TextReasoningContent reasoning:
                    recorded.Contents.Add(new CassetteContent { Kind = CassetteContent.ReasoningKind, Text = reasoning.Text });
                    break;
                case FunctionCallContent call:
                    recorded.Contents.Add(new CassetteContent
                    {
                        Kind = CassetteContent.FunctionCallKind,
                        CallId = call.CallId,
                        Name = call.Name,
                        Arguments = CanonicalJsonText.Of(call.Arguments is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(call.Arguments)),
                    });
                    break;
                case FunctionResultContent result:
                    recorded.Contents.Add(new CassetteContent
                    {
                        Kind = CassetteContent.FunctionResultKind,
                        CallId = result.CallId,
                        Text = ResultText(result.Result),
                    });
                    break;
            }
        }

        return recorded;
    }

    public static CassetteUsage? ToUsage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        Dictionary<string, long>? additional = null;
        if (usage.AdditionalCounts is { Count: > 0 } counts)
        {
            additional = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var count in counts.OrderBy(count => count.Key, StringComparer.Ordinal))
            {
                additional[count.Key] = count.Value;
            }
        }

        return new CassetteUsage
        {
            InputTokenCount = usage.InputTokenCount,
            CachedInputTokenCount = usage.CachedInputTokenCount,
            OutputTokenCount = usage.OutputTokenCount,
            ReasoningTokenCount = usage.ReasoningTokenCount,
            TotalTokenCount = usage.TotalTokenCount,
            AdditionalCounts = additional,
        };
    }

    public static UsageDetails? ToUsageDetails(CassetteUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokenCount,
            CachedInputTokenCount = usage.CachedInputTokenCount,
            OutputTokenCount = usage.OutputTokenCount,
            ReasoningTokenCount = usage.ReasoningTokenCount,
            TotalTokenCount = usage.TotalTokenCount,
        };
        if (usage.AdditionalCounts is { Count: > 0 } counts)
        {
            details.AdditionalCounts = new AdditionalPropertiesDictionary<long>();
            foreach (var count in counts)
            {
                details.AdditionalCounts[count.Key] = count.Value;
            }
        }

        return details;
    }

    public static ChatMessage ToChatMessage(CassetteMessage message)
    {
        var contents = new List<AIContent>();
        foreach (var content in message.Contents)
        {
            switch (content.Kind)
            {
                case CassetteContent.ReasoningKind:
                    contents.Add(new TextReasoningContent(content.Text));
                    break;
                case CassetteContent.FunctionCallKind:
                    contents.Add(new FunctionCallContent(content.CallId ?? string.Empty, content.Name ?? string.Empty, ArgumentsOf(content.Arguments)));
                    break;
                case CassetteContent.FunctionResultKind:
                    contents.Add(new FunctionResultContent(content.CallId ?? string.Empty, content.Text));
                    break;
                default:
                    contents.Add(new TextContent(content.Text));
                    break;
            }
        }

        return new ChatMessage(new ChatRole(message.Role), contents) { AuthorName = message.AuthorName };
    }

    public static ChatResponse ToChatResponse(CassetteResponse response)
        => new(response.Messages.Select(ToChatMessage).ToList())
        {
            ModelId = response.ModelId,
            FinishReason = response.FinishReason is null ? null : new ChatFinishReason(response.FinishReason),
            Usage = ToUsageDetails(response.Usage),
        };

    private static Dictionary<string, object?>? ArgumentsOf(string? arguments)
    {
        if (string.IsNullOrEmpty(arguments))
        {
            return null;
        }

        using var document = JsonDocument.Parse(arguments!);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }

        return values;
    }

    private static string? ResultText(object? result)
        => result switch
        {
            null => null,
            string text => text,
            _ => CanonicalJsonText.Of(result),
        };

    private static string? ToolModeOf(ChatToolMode? mode)
        => mode switch
        {
            null => null,
            NoneChatToolMode => "none",
            AutoChatToolMode => "auto",
            RequiredChatToolMode { RequiredFunctionName: { } name } => "required:" + name,
            RequiredChatToolMode => "required",
            _ => mode.ToString(),
        };
}
