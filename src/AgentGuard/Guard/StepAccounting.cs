using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Turns a model exchange into a <see cref="TokenUsage"/>: from the provider's usage report when there is one,
/// otherwise estimated from the text sent and received and marked as estimated, so a step is never free by
/// accident.
/// </summary>
public static class StepAccounting
{
    /// <summary>The tokens assumed for one image, audio clip or file when a provider reports no usage.</summary>
    public const int MediaTokens = 1_500;

    /// <summary>Estimates the input tokens of a request: every message's text, tool calls and results, and the instructions.</summary>
    public static long EstimateInputTokens(IEnumerable<ChatMessage> messages, ChatOptions? options, ITokenEstimator estimator)
    {
        long total = estimator.EstimateTokens(options?.Instructions);
        foreach (var message in messages)
        {
            total += 4; // role and framing
            foreach (var content in message.Contents)
            {
                total += EstimateContent(content, estimator);
            }
        }

        if (options?.Tools is { Count: > 0 } tools)
        {
            foreach (var tool in tools)
            {
                total += estimator.EstimateTokens(tool.Name) + estimator.EstimateTokens(tool.Description);
                if (tool is AIFunctionDeclaration function)
                {
                    total += estimator.EstimateTokens(function.JsonSchema.GetRawText());
                }
            }
        }

        return total;
    }

    /// <summary>Estimates the tool-result tokens of a request: the results of tool calls sent back to the model.</summary>
    public static long EstimateToolResultTokens(IEnumerable<ChatMessage> messages, ITokenEstimator estimator)
    {
        long total = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    total += EstimateContent(result, estimator);
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The usage of a step: the provider's report, or an estimate from <paramref name="sent"/> and
    /// <paramref name="receivedText"/> marked <see cref="TokenUsage.IsEstimated"/>.
    /// </summary>
    public static TokenUsage Measure(UsageDetails? reported, IEnumerable<ChatMessage> sent, ChatOptions? options, string? receivedText, IEnumerable<ChatMessage>? receivedMessages, ITokenEstimator estimator)
    {
        var toolResults = EstimateToolResultTokens(sent, estimator);
        if (TokenUsage.FromUsageDetails(reported, toolResults) is TokenUsage usage)
        {
            return usage;
        }

        long output = estimator.EstimateTokens(receivedText);
        if (receivedMessages is not null)
        {
            foreach (var message in receivedMessages)
            {
                foreach (var content in message.Contents)
                {
                    if (content is FunctionCallContent)
                    {
                        output += EstimateContent(content, estimator);
                    }
                }
            }
        }

        return new TokenUsage(EstimateInputTokens(sent, options, estimator), 0, 0, output, 0, toolResults, isEstimated: true);
    }

    private static long EstimateContent(AIContent content, ITokenEstimator estimator)
    {
        switch (content)
        {
            case TextContent text:
                return estimator.EstimateTokens(text.Text);
            case TextReasoningContent reasoning:
                return estimator.EstimateTokens(reasoning.Text);
            case FunctionCallContent call:
                long callTokens = estimator.EstimateTokens(call.Name) + 4;
                if (call.Arguments is not null)
                {
                    foreach (var argument in call.Arguments)
                    {
                        callTokens += estimator.EstimateTokens(argument.Key) + estimator.EstimateTokens(argument.Value?.ToString());
                    }
                }

                return callTokens;
            case FunctionResultContent result:
                return estimator.EstimateTokens(result.Result?.ToString()) + 4;
            case DataContent or UriContent or HostedFileContent:
                // Images, audio and files: providers bill hundreds to thousands of tokens each; assume the high end
                // of a typical image so the first step of a multimodal run is not reserved as nearly free.
                return MediaTokens;
            default:
                return 0;
        }
    }
}
