using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Anthropic.Models.Messages;
using Anthropic.Services;

namespace CostPitfalls;

/// <summary>
/// AG0005 with the Anthropic SDK — a console chat that keeps every turn in <c>history</c> and sends all of it as
/// <see cref="MessageCreateParams.Messages"/> on every request: turn 50 pays for the 49 before it again.
/// </summary>
public sealed class ClaudeConsoleChat(IMessageService messages)
{
    public async Task RunAsync()
    {
        var history = new List<MessageParam>();
        while (Console.ReadLine() is { Length: > 0 } line)
        {
            history.Add(new UserMessageParam(line));
            var reply = await messages.Create(new MessageCreateParams
            {
                Model = Model.ClaudeSonnet4_5,
                MaxTokens = 1024,
                Messages = history, // AG0005: grows every turn, never trimmed
            });
            history.Add(new AssistantMessageParam(reply.Content[0].ToString()));
            Console.WriteLine(reply.Content[0]);
        }
    }
}
