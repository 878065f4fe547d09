using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace AgentGuard;

// What the guard does to a run's conversation: counts the tool calls the model asks for, drops those past the limit,
// and shapes the wrap-up and the budget note it sends after the conversation.
public sealed partial class BudgetChatClient
{
    // In a run the guard counts the tool calls the model asks for against MaxToolCalls (the tool loop above it runs
    // them): calls past the limit are dropped from the answer, so the loop does not run them, and the next request is
    // the wrap-up. Returns whether any call was dropped and how many are left to run.
    private static (bool Dropped, int Left) AdmitToolCalls(BudgetTracker tracker, IList<ChatMessage> messages)
    {
        var dropped = false;
        var left = 0;
        foreach (var message in messages)
        {
            message.Contents = AdmitToolCalls(tracker, message.Contents, ref dropped, ref left);
        }

        return (dropped, left);
    }

    private static IList<AIContent> AdmitToolCalls(BudgetTracker tracker, IList<AIContent> contents, ref bool dropped, ref int left)
    {
        List<AIContent>? kept = null;
        for (var i = 0; i < contents.Count; i++)
        {
            if (contents[i] is FunctionCallContent { InformationalOnly: false } call
                && (dropped || !tracker.TryBeginToolCall(call.Name, enforceRetries: false).IsAllowed))
            {
                dropped = true;
                if (kept is null)
                {
                    kept = new List<AIContent>(contents.Count);
                    for (var j = 0; j < i; j++)
                    {
                        kept.Add(contents[j]);
                    }
                }

                continue;
            }

            if (contents[i] is FunctionCallContent { InformationalOnly: false })
            {
                left++;
            }

            kept?.Add(contents[i]);
        }

        return kept ?? contents;
    }

    // The results of the last round of tool calls — the tool messages at the end of the conversation — go into the
    // run's ledger (a result carrying an exception counts as a failed call).
    private static void RecordToolResults(BudgetTracker tracker, IList<ChatMessage> sent)
    {
        for (var i = sent.Count - 1; i >= 0 && sent[i].Role == ChatRole.Tool; i--)
        {
            foreach (var content in sent[i].Contents)
            {
                if (content is FunctionResultContent result)
                {
                    tracker.CompleteToolCall(new ToolCallRecord(CallName(sent, i, result.CallId), TimeSpan.Zero, cacheHit: false, failed: result.Exception is not null, result.Exception?.Message));
                }
            }
        }
    }

    private static string CallName(IList<ChatMessage> sent, int before, string callId)
    {
        for (var i = before - 1; i >= 0; i--)
        {
            foreach (var content in sent[i].Contents)
            {
                if (content is FunctionCallContent call && call.CallId == callId)
                {
                    return call.Name;
                }
            }
        }

        return "unknown";
    }

    // The wrap-up is sent with tool calls turned off; a call the model makes anyway is dropped, so no tool loop above the guard
    // runs it and the run ends with this answer.
    // A message left with nothing is dropped: providers refuse an empty assistant message in the history.
    internal static IList<ChatMessage> WithoutToolCalls(IList<ChatMessage> messages)
    {
        var kept = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            message.Contents = WithoutToolCalls(message.Contents);
            if (message.Contents.Count > 0)
            {
                kept.Add(message);
            }
        }

        return kept.Count == messages.Count ? messages : kept;
    }

    internal static IList<AIContent> WithoutToolCalls(IList<AIContent> contents)
    {
        foreach (var content in contents)
        {
            if (content is FunctionCallContent)
            {
                var kept = new List<AIContent>(contents.Count);
                foreach (var other in contents)
                {
                    if (other is not FunctionCallContent)
                    {
                        kept.Add(other);
                    }
                }

                return kept;
            }
        }

        return contents;
    }

    private static void MarkWrapUp(AdditionalPropertiesDictionary properties, BudgetTracker tracker)
        => properties[WrapUpPropertyName] = AgentRunStatuses.FromLimit(tracker.TrippedLimit).ToString();

    // The messages handed on: the caller's, plus — never kept in the caller's conversation, always after it, so the
    // cached prefix is untouched — the wrap-up's instruction or the note of the budget left.
    private IList<ChatMessage> Forward(BudgetTracker tracker, in StepReservation reservation, IList<ChatMessage> sent, ChatOptions request)
    {
        if (reservation.IsWrapUp)
        {
            // The tools stay declared — they are part of the cached prefix — but the model may not call them.
            request.ToolMode = ChatToolMode.None;
            var cap = options.WrapUp.MaxOutputTokens;
            request.MaxOutputTokens = request.MaxOutputTokens is int set && set < cap ? set : cap;
            return WithTrailingMessage(sent, BudgetNotes.WrapUpInstruction(options.WrapUp, tracker));
        }

        if (options.ShowBudgetToModel && !ReferenceEquals(tracker, Lifetime) && BudgetNotes.Remaining(tracker) is { } note)
        {
            return WithTrailingMessage(sent, note);
        }

        return sent;
    }

    private static List<ChatMessage> WithTrailingMessage(IList<ChatMessage> sent, string text)
    {
        var forwarded = new List<ChatMessage>(sent.Count + 1);
        forwarded.AddRange(sent);
        forwarded.Add(new ChatMessage(ChatRole.User, text));
        return forwarded;
    }
}
