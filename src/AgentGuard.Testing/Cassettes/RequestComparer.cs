using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AgentGuard.Testing;

/// <summary>Compares a replayed request with the recorded one and describes the first difference.</summary>
internal static class RequestComparer
{
    private const int ExcerptRadius = 30;

    public static string? PrefixDifference(int index, CassetteRequest recorded, CassetteRequest current)
    {
        foreach (var tool in recorded.Tools)
        {
            var now = current.Tools.FirstOrDefault(candidate => candidate.Name == tool.Name);
            if (now is null)
            {
                return $"Interaction {index}: tool '{tool.Name}' was removed; the tool declarations are part of the cacheable prefix, so the provider's prompt cache would miss.";
            }

            if (!string.Equals(now.Schema, tool.Schema, StringComparison.Ordinal))
            {
                return $"Interaction {index}: tool '{tool.Name}' schema changed: {Excerpts(tool.Schema ?? string.Empty, now.Schema ?? string.Empty)}. The tool declarations are part of the cacheable prefix, so the provider's prompt cache would miss.";
            }

            if (!string.Equals(now.Description, tool.Description, StringComparison.Ordinal))
            {
                return $"Interaction {index}: tool '{tool.Name}' description changed: {Excerpts(tool.Description ?? string.Empty, now.Description ?? string.Empty)}. The tool declarations are part of the cacheable prefix, so the provider's prompt cache would miss.";
            }
        }

        foreach (var tool in current.Tools)
        {
            if (!recorded.Tools.Any(candidate => candidate.Name == tool.Name))
            {
                return $"Interaction {index}: tool '{tool.Name}' was added; the tool declarations are part of the cacheable prefix, so the provider's prompt cache would miss.";
            }
        }

        var recordedPrefix = Prefix(recorded);
        var currentPrefix = Prefix(current);
        if (!string.Equals(recordedPrefix, currentPrefix, StringComparison.Ordinal))
        {
            return $"Interaction {index}: the cacheable prefix (instructions, system messages and tool declarations) changed: {Excerpts(recordedPrefix, currentPrefix)}. "
                + "The provider's prompt cache would miss on this step and every step after it (a timestamp or other changing value at the head of the system prompt does this), "
                + "although the replayed token counts cannot show it.";
        }

        return null;
    }

    public static string? Difference(int index, CassetteRequest recorded, CassetteRequest current)
    {
        if (!string.Equals(recorded.ModelId, current.ModelId, StringComparison.Ordinal))
        {
            return $"Interaction {index}: the model changed from '{recorded.ModelId}' to '{current.ModelId}'.";
        }

        if (recorded.MaxOutputTokens != current.MaxOutputTokens)
        {
            return $"Interaction {index}: the output cap changed from {Show(recorded.MaxOutputTokens)} to {Show(current.MaxOutputTokens)}.";
        }

        if (!string.Equals(recorded.ToolMode, current.ToolMode, StringComparison.Ordinal))
        {
            return $"Interaction {index}: the tool mode changed from {recorded.ToolMode ?? "(not set)"} to {current.ToolMode ?? "(not set)"}.";
        }

        var order = string.Join(", ", recorded.Tools.Select(tool => tool.Name));
        var currentOrder = string.Join(", ", current.Tools.Select(tool => tool.Name));
        if (!string.Equals(order, currentOrder, StringComparison.Ordinal))
        {
            return $"Interaction {index}: the tools are declared in another order: recorded [{order}], now [{currentOrder}]; the provider's prompt cache would miss.";
        }

        var shared = Math.Min(recorded.Messages.Count, current.Messages.Count);
        for (var i = 0; i < shared; i++)
        {
            var before = recorded.Messages[i];
            var after = current.Messages[i];
            if (!string.Equals(before.Role, after.Role, StringComparison.Ordinal))
            {
                return $"Interaction {index}, message {i}: the role changed from {before.Role} to {after.Role}.";
            }

            var beforeText = Render(before);
            var afterText = Render(after);
            if (!string.Equals(beforeText, afterText, StringComparison.Ordinal))
            {
                return $"Interaction {index}, message {i} ({after.Role}): {Excerpts(beforeText, afterText)}.";
            }
        }

        if (current.Messages.Count > recorded.Messages.Count)
        {
            var added = current.Messages[shared];
            return $"Interaction {index}: message {shared} ({added.Role}) was added; the recording has {recorded.Messages.Count} messages, the request {current.Messages.Count}. It reads: \"{Clip(Render(added))}\".";
        }

        if (current.Messages.Count < recorded.Messages.Count)
        {
            var missing = recorded.Messages[shared];
            return $"Interaction {index}: message {shared} ({missing.Role}) is missing; the recording has {recorded.Messages.Count} messages, the request {current.Messages.Count}. It read: \"{Clip(Render(missing))}\".";
        }

        return null;
    }

    // What the provider can cache: everything before the first non-system message, in the order it is sent.
    internal static string Prefix(CassetteRequest request)
    {
        var prefix = new StringBuilder();
        if (request.Instructions is { } instructions)
        {
            prefix.Append("instructions: ").Append(instructions).Append('\n');
        }

        foreach (var message in request.Messages.TakeWhile(message => message.Role == "system"))
        {
            prefix.Append("system: ").Append(Render(message)).Append('\n');
        }

        foreach (var tool in request.Tools)
        {
            prefix.Append("tool ").Append(tool.Name).Append(": ").Append(tool.Description).Append(' ').Append(tool.Schema).Append('\n');
        }

        return prefix.ToString();
    }

    private static string Render(CassetteMessage message)
    {
        var text = new StringBuilder();
        foreach (var content in message.Contents)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            switch (content.Kind)
            {
                case CassetteContent.FunctionCallKind:
                    text.Append("call ").Append(content.Name).Append(content.Arguments);
                    break;
                case CassetteContent.FunctionResultKind:
                    text.Append("result ").Append(content.Text);
                    break;
                case CassetteContent.ReasoningKind:
                    text.Append("reasoning ").Append(content.Text);
                    break;
                default:
                    text.Append(content.Text);
                    break;
            }
        }

        return text.ToString();
    }

    private static string Excerpts(string before, string after)
    {
        var at = 0;
        while (at < before.Length && at < after.Length && before[at] == after[at])
        {
            at++;
        }

        return $"first difference at character {at}: recorded \"{Around(before, at)}\", now \"{Around(after, at)}\"";
    }

    private static string Around(string text, int at)
    {
        var start = Math.Max(0, at - ExcerptRadius);
        var end = Math.Min(text.Length, at + ExcerptRadius);
        return (start > 0 ? "…" : string.Empty) + text.Substring(start, end - start) + (end < text.Length ? "…" : string.Empty);
    }

    private static string Clip(string text)
        => text.Length <= 2 * ExcerptRadius ? text : text.Substring(0, 2 * ExcerptRadius) + "…";

    private static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not set)";
}
