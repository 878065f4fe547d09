using System;
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
    /// The usage of a step: the provider's report — <paramref name="reported"/>, or when that has no counts the
    /// provider's usage objects left under <see cref="TokenUsage.UsagePropertyName"/> in the additional properties of
    /// <paramref name="receivedMessages"/> (see <see cref="TokenUsage.FromAdditionalProperties"/>), each object counted
    /// once — or an estimate from <paramref name="sent"/> and <paramref name="receivedText"/> marked
    /// <see cref="TokenUsage.IsEstimated"/>.
    /// </summary>
    public static TokenUsage Measure(UsageDetails? reported, IEnumerable<ChatMessage> sent, ChatOptions? options, string? receivedText, IEnumerable<ChatMessage>? receivedMessages, ITokenEstimator estimator)
    {
        var toolResults = EstimateToolResultTokens(sent, estimator);
        if (TokenUsage.FromUsageDetails(reported, toolResults) is TokenUsage usage)
        {
            return usage;
        }

        if (TokenUsage.FromUsageDetails(UsageInAdditionalProperties(receivedMessages), toolResults) is TokenUsage stranded)
        {
            return stranded;
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

    /// <summary>
    /// The usage of a step cut short — the call timed out, failed or was cancelled after the request was sent, or a
    /// stream was abandoned part-way — before the provider reported usage. Providers bill the whole input sent and
    /// the output generated before the cut, so the step is estimated as every input token of the request plus the
    /// output in <paramref name="received"/> (text, reasoning and tool calls received so far; none for a call that
    /// failed before answering), and marked <see cref="TokenUsage.IsEstimated"/>.
    /// </summary>
    public static TokenUsage MeasureInterrupted(IEnumerable<ChatMessage> sent, ChatOptions? options, IEnumerable<AIContent>? received, ITokenEstimator estimator)
    {
        long output = 0;
        if (received is not null)
        {
            foreach (var content in received)
            {
                output += EstimateContent(content, estimator);
            }
        }

        return new TokenUsage(EstimateInputTokens(sent, options, estimator), 0, 0, output, 0, EstimateToolResultTokens(sent, estimator), isEstimated: true);
    }

    /// <summary>
    /// The usage of a step cut short after the provider sent a partial usage report — a stream that failed, was
    /// cancelled or was abandoned after a report such as Anthropic's <c>message_start</c>, which carries the input
    /// tokens and about one output token. Each side is the larger of the report and the estimate of
    /// <see cref="MeasureInterrupted(IEnumerable{ChatMessage}, ChatOptions?, IEnumerable{AIContent}?, ITokenEstimator)"/>:
    /// input, the reported input (with its cached and cache-write split) or the estimate of what was sent, whichever is
    /// larger, the excess counted as uncached; output, the reported output or the estimate of what was received. The
    /// step is marked <see cref="TokenUsage.IsEstimated"/>.
    /// </summary>
    public static TokenUsage MeasureInterrupted(UsageDetails? reported, IEnumerable<ChatMessage> sent, ChatOptions? options, IEnumerable<AIContent>? received, ITokenEstimator estimator)
    {
        var estimate = MeasureInterrupted(sent, options, received, estimator);
        if (TokenUsage.FromUsageDetails(reported, estimate.ToolResultTokens) is not TokenUsage usage)
        {
            return estimate;
        }

        var missingInput = Math.Max(0, estimate.InputTokens - usage.InputTokens);
        return new TokenUsage(
            usage.UncachedInputTokens + missingInput,
            usage.CachedInputTokens,
            usage.CacheWriteTokens,
            Math.Max(usage.OutputTokens, estimate.OutputTokens),
            usage.ReasoningTokens,
            estimate.ToolResultTokens,
            isEstimated: true);
    }

    /// <summary>
    /// Whether a model call that threw <paramref name="error"/> may have been sent, and so billed. Not sent: an
    /// <see cref="ArgumentException"/> — the request's validation failing, by the client before it sends or by the
    /// provider refusing an invalid request, which it does not bill — and AgentGuard's own refusals before sending
    /// (a guard deeper in the pipeline stopping the request at a limit, an unknown price, a misplaced guard). Any
    /// other failure (a timeout, a cancellation, a dropped connection, a server error) may come after the provider
    /// read the whole input.
    /// </summary>
    internal static bool MayHaveBeenSent(Exception error)
        => error is not (ArgumentException or BudgetExceededException or UnknownModelPriceException or GuardPlacementException);

    private static UsageDetails? UsageInAdditionalProperties(IEnumerable<ChatMessage>? messages)
    {
        if (messages is null)
        {
            return null;
        }

        UsageDetails? total = null;
        List<object>? counted = null;
        foreach (var message in messages)
        {
            if (message.AdditionalProperties?.TryGetValue(TokenUsage.UsagePropertyName, out var value) != true
                || value is null
                || (counted is not null && counted.Exists(seen => ReferenceEquals(seen, value))))
            {
                continue;
            }

            (counted ??= []).Add(value);
            if (TokenUsage.UsageDetailsFromObject(value) is UsageDetails details)
            {
                total ??= new UsageDetails();
                total.Add(details);
            }
        }

        return total;
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
