#!/usr/bin/env python3
"""Writes the synthetic "agent code" corpus for the analyzer-cost measurement.

Deterministic: the same --files and --seed always give the same sources. Every file compiles with and
without AgentGuard's analyzers and generator (no file calls a generated member), against
Microsoft.Extensions.AI, Semantic Kernel abstractions, the OpenAI SDK and AgentGuard's runtime attributes.

The mix (roughly): M.E.AI IChatClient loops (bounded, unbounded, streaming, with and without
MaxOutputTokens), system prompts with and without variable heads, [Budget]/[AgentTool] partial agents
(cacheable reads and a few side-effecting ones), Semantic Kernel IChatCompletionService + ChatHistory loops,
OpenAI ChatClient.CompleteChatAsync calls, retries with try/catch, and plain non-agent classes (about a third).

Usage: gen_agents.py OUT_DIR [--files N] [--seed S]
"""
import argparse
import os
import random
import shutil

WORDS = ("order invoice ticket parcel refund claim booking flight hotel weather catalog product review "
         "customer account payment report summary incident alert query document policy contract lead "
         "shipment inventory recipe article meeting calendar task issue build release metric").split()
DOMAINS = ("Support Billing Travel Retail Logistics Research Legal Sales Ops Devops Hr Finance Marketing "
           "Insurance Health Education Media Security Analytics Procurement").split()
TONES = ["Friendly, concrete, no superlatives.", "Answer in at most three sentences.",
         "Cite the document ID for every claim.", "Never promise a refund; hand refunds to a human.",
         "Reply in the customer's language.", "Use bullet points for lists of more than two items.",
         "If you are unsure, say so and ask one clarifying question."]
MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "o4-mini"]


def cap(s):
    return s[:1].upper() + s[1:]


def prompt_text(r, domain, thing):
    return (f"You are the {domain.lower()} assistant of Contoso. You help users with {thing}s: look them up, "
            f"explain their status and suggest the next step. {r.choice(TONES)} {r.choice(TONES)}")


def system_prompt_expr(r, domain, thing, style):
    """A C# expression for a system prompt. style: stable | timestamp_head | variable_head | variable_tail."""
    text = prompt_text(r, domain, thing)
    if style == "stable":
        return '"' + text + '"'
    if style == "timestamp_head":
        return '$"Current time: {DateTime.UtcNow:u}\\n' + text + '"'
    if style == "variable_head":
        return '$"User: {userName}. ' + text + '"'
    return '$"' + text + '\\nUser: {userName}. Today: {DateTime.UtcNow:d}"'


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    # ----- Microsoft.Extensions.AI -------------------------------------------------------------------------
    def meai_loop(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Loop{i}"
        capped = r.random() < 0.6
        bounded = r.random() < 0.6
        style = r.choice(["stable", "stable", "timestamp_head", "variable_head", "variable_tail"])
        max_steps = r.randint(3, 12)
        opts = (f"new ChatOptions {{ MaxOutputTokens = {r.choice([256, 400, 512, 800, 1024])}, Temperature = 0.{r.randint(0, 9)}f }}"
                if capped else f"new ChatOptions {{ Temperature = 0.{r.randint(0, 9)}f }}")
        if bounded:
            loop_head = f"for (var step = 0; step < {max_steps}; step++)"
        else:
            loop_head = "while (true)"
        return f"""using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace {ns};

/// <summary>Answers {t} questions for the {d.lower()} team with a model loop.</summary>
public sealed class {cls}
{{
    private readonly IChatClient chatClient;

    public {cls}(IChatClient chatClient)
    {{
        this.chatClient = chatClient;
    }}

    public async Task<string> AskAsync(string userName, string question, CancellationToken cancellationToken)
    {{
        var options = {opts};
        var history = new List<ChatMessage>
        {{
            new ChatMessage(ChatRole.System, {system_prompt_expr(r, d, t, style)}),
            new ChatMessage(ChatRole.User, question),
        }};

        var answer = string.Empty;
        {loop_head}
        {{
            var response = await chatClient.GetResponseAsync(history, options, cancellationToken);
            history.AddMessages(response);
            answer = response.Text;
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (calls.Count == 0 || response.FinishReason == ChatFinishReason.Stop)
            {{
                break;
            }}

            foreach (var call in calls)
            {{
                history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, Lookup(call.Name))]));
            }}
        }}

        return answer;
    }}

    private static string Lookup(string name) => name.Length % 2 == 0 ? "found" : "not found";
}}
"""

    def meai_oneshot(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Writer{i}"
        variant = r.randint(0, 3)
        if variant == 0:
            call = "await chatClient.GetResponseAsync(prompt, cancellationToken: cancellationToken)"
        elif variant == 1:
            call = f"await chatClient.GetResponseAsync(prompt, new ChatOptions {{ MaxOutputTokens = {r.randint(100, 900)} }}, cancellationToken)"
        elif variant == 2:
            call = "await chatClient.GetResponseAsync(prompt, this.options, cancellationToken)"
        else:
            call = "await chatClient.GetResponseAsync(prompt, null, cancellationToken)"
        field_caps = r.random() < 0.5
        field = (f"new ChatOptions {{ MaxOutputTokens = {r.randint(100, 900)}, ModelId = \"{r.choice(MODELS)}\" }}" if field_caps
                 else f"new ChatOptions {{ ModelId = \"{r.choice(MODELS)}\" }}")
        return f"""using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace {ns};

/// <summary>Writes {t} summaries.</summary>
public sealed class {cls}(IChatClient chatClient)
{{
    private readonly ChatOptions options = {field};

    public async Task<string> SummarizeAsync(string title, string body, CancellationToken cancellationToken)
    {{
        var builder = new StringBuilder();
        builder.Append("Summarize this {t} for a {d.lower()} manager.");
        builder.AppendLine();
        builder.Append(title).Append(':').AppendLine();
        builder.Append(body);
        var prompt = builder.ToString();
        var response = {call};
        return response.Text.Trim();
    }}

    public async Task<int> StreamAsync(string userName, string question, CancellationToken cancellationToken)
    {{
        var messages = new[]
        {{
            new ChatMessage(ChatRole.System, {system_prompt_expr(r, d, t, r.choice(["stable", "timestamp_head", "variable_tail"]))}),
            new ChatMessage(ChatRole.User, question),
        }};
        var length = 0;
        await foreach (var update in chatClient.GetStreamingResponseAsync(messages, options, cancellationToken))
        {{
            length += update.Text.Length;
        }}

        return length;
    }}
}}
"""

    def meai_retry(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Retrier{i}"
        bounded = r.random() < 0.5
        cond = f"attempt < {r.randint(2, 5)}" if bounded else "true"
        return f"""using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace {ns};

/// <summary>Classifies {t}s, retrying transient failures.</summary>
public sealed class {cls}
{{
    private readonly IChatClient client;

    public {cls}(IChatClient client) => this.client = client;

    public async Task<string> ClassifyAsync(string text, CancellationToken cancellationToken)
    {{
        var options = new ChatOptions {{ MaxOutputTokens = {r.choice([16, 32, 64])}, Temperature = 0f }};
        for (var attempt = 0; ; attempt++)
        {{
            try
            {{
                var response = await client.GetResponseAsync(
                    [new ChatMessage(ChatRole.System, "Classify the {t} as low, medium or high priority. Reply with one word."), new ChatMessage(ChatRole.User, text)],
                    options,
                    cancellationToken);
                return response.Text;
            }}
            catch (HttpRequestException) when ({cond})
            {{
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellationToken);
            }}
        }}
    }}
}}
"""

    # ----- AgentGuard declarations --------------------------------------------------------------------------
    def agent(self, ns, i):
        r = self.r
        d = r.choice(DOMAINS)
        things = r.sample(WORDS, 3)
        cls = f"{d}Agent{i}"
        hard = round(r.uniform(0.02, 0.5), 2)
        soft = round(hard / 2, 3)
        budget = [f"MaxSteps = {r.randint(4, 16)}", f"MaxToolCalls = {r.randint(6, 30)}",
                  f"MaxOutputTokensPerStep = {r.choice([300, 400, 600, 800])}",
                  f"MaxTotalTokens = {r.choice([40_000, 60_000, 120_000])}",
                  f"SoftLimitUsd = {soft}", f"HardLimitUsd = {hard}", f"MaxRetriesPerTool = {r.randint(0, 2)}"]
        if r.random() < 0.5:
            budget.append('FallbackModelId = "gpt-4o-mini"')
        if r.random() < 0.15:  # a budget the declaration analyzer has something to say about (warnings only)
            budget = [b for b in budget if not b.startswith("MaxOutputTokensPerStep")]
        tools = []
        rec = f"{cls}Request"
        for k, t in enumerate(things):
            kind = r.randint(0, 4)
            if kind == 0:
                tools.append(f"""    [AgentTool("Looks up a {t} by its ID.", Cacheable = true)]
    public Task<string?> Get{cap(t)}Async([Description("The {t} ID")] string id, CancellationToken cancellationToken)
        => Task.FromResult<string?>(store.TryGetValue(id, out var value) ? value : null);
""")
            elif kind == 1:
                tools.append(f"""    [AgentTool("Searches {t}s by text.", Name = "search_{t}s_{k}", Cacheable = true, CacheTtlSeconds = {r.choice([60, 300, 900])})]
    public string[] Search{cap(t)}s(string text, int limit)
    {{
        var hits = new List<string>();
        foreach (var pair in store)
        {{
            if (pair.Value.Contains(text, StringComparison.OrdinalIgnoreCase) && hits.Count < limit)
            {{
                hits.Add(pair.Key);
            }}
        }}

        return hits.ToArray();
    }}
""")
            elif kind == 2:
                tools.append(f"""    [AgentTool("Updates a {t}.")]
    public async Task<string> Update{cap(t)}Async({rec} request, CancellationToken cancellationToken)
    {{
        await Task.Yield();
        store[request.Id] = request.Note ?? string.Empty;
        return $"Updated {{request.Id}} by {{request.Amount:0.00}}.";
    }}
""")
            elif kind == 3:
                # a cacheable tool with a side effect: what AG0004 looks for
                tools.append(f"""    [AgentTool("Records a {t} lookup.", Cacheable = true)]
    public string Record{cap(t)}(string id)
    {{
        lookups++;
        File.AppendAllText("{t}-audit.log", id + Environment.NewLine);
        return store.TryGetValue(id, out var value) ? value : "unknown";
    }}
""")
            else:
                tools.append(f"""    [AgentTool("Counts {t}s in a date range.")]
    public int Count{cap(t)}s(DateTime from, DateTime to, {cls}Status? status)
        => store.Count + (to - from).Days + (status is null ? 0 : (int)status);
""")
        return f"""using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard;

namespace {ns};

public enum {cls}Status
{{
    Open,
    Pending,
    Closed,
}}

public sealed record {rec}(string Id, decimal Amount, string? Note);

/// <summary>A budgeted {d.lower()} agent over {", ".join(things)}.</summary>
[Budget({", ".join(budget)})]
public sealed partial class {cls}
{{
    private readonly Dictionary<string, string> store = new(StringComparer.Ordinal);
    private int lookups;

    public int Lookups => lookups;

{chr(10).join(tools)}}}
"""

    # ----- Semantic Kernel --------------------------------------------------------------------------------
    def sk_loop(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Kernel{i}"
        bounded = r.random() < 0.5
        trimmed = r.random() < 0.5
        settings = "settings" if r.random() < 0.5 else "null"
        loop = f"for (var turn = 0; turn < {r.randint(2, 10)}; turn++)" if bounded else "while (!cancellationToken.IsCancellationRequested)"
        trim = f"""            while (history.Count > {r.randint(8, 30)})
            {{
                history.RemoveAt(1);
            }}
""" if trimmed else ""
        style = r.choice(["stable", "timestamp_head", "variable_tail"])
        return f"""using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace {ns};

/// <summary>A Semantic Kernel chat about {t}s.</summary>
public sealed class {cls}
{{
    private readonly IChatCompletionService chat;
    private readonly PromptExecutionSettings settings = new() {{ ModelId = "{r.choice(MODELS)}" }};

    public {cls}(IChatCompletionService chat) => this.chat = chat;

    public async Task<IReadOnlyList<string>> ChatAsync(string userName, IAsyncEnumerable<string> inputs, CancellationToken cancellationToken)
    {{
        var history = new ChatHistory({system_prompt_expr(r, d, t, style)});
        var replies = new List<string>();
        var enumerator = inputs.GetAsyncEnumerator(cancellationToken);
        {loop}
        {{
            if (!await enumerator.MoveNextAsync())
            {{
                break;
            }}

            history.AddUserMessage(enumerator.Current);
{trim}            var reply = await chat.GetChatMessageContentAsync(history, {settings}, kernel: null, cancellationToken);
            history.Add(reply);
            replies.Add(reply.Content ?? string.Empty);
        }}

        await enumerator.DisposeAsync();
        return replies;
    }}
}}
"""

    # ----- OpenAI SDK --------------------------------------------------------------------------------------
    def openai(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Completion{i}"
        capped = r.random() < 0.5
        opts = (f"new ChatCompletionOptions {{ MaxOutputTokenCount = {r.randint(100, 1000)}, Temperature = 0.{r.randint(0, 9)}f }}"
                if capped else f"new ChatCompletionOptions {{ Temperature = 0.{r.randint(0, 9)}f }}")
        bounded = r.random() < 0.6
        loop = f"for (var round = 0; round < {r.randint(2, 8)}; round++)" if bounded else "while (true)"
        style = r.choice(["stable", "timestamp_head", "variable_head"])
        return f"""using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenAI.Chat;

namespace {ns};

/// <summary>Drafts {t} replies with the OpenAI SDK.</summary>
public sealed class {cls}
{{
    private readonly ChatClient client;

    public {cls}(ChatClient client) => this.client = client;

    public async Task<string> DraftAsync(string userName, string request, CancellationToken cancellationToken)
    {{
        var options = {opts};
        List<ChatMessage> messages =
        [
            new SystemChatMessage({system_prompt_expr(r, d, t, style)}),
            new UserChatMessage(request),
        ];
        var text = string.Empty;
        {loop}
        {{
            ChatCompletion completion = await client.CompleteChatAsync(messages, options, cancellationToken);
            messages.Add(new AssistantChatMessage(completion));
            text = completion.Content.Count > 0 ? completion.Content[0].Text : string.Empty;
            if (completion.FinishReason == ChatFinishReason.Stop)
            {{
                break;
            }}

            messages.Add(new UserChatMessage("Continue."));
        }}

        return text;
    }}

    public async Task<string> TitleAsync(string text, CancellationToken cancellationToken)
    {{
        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Write a title of at most eight words for this {t}."), new UserChatMessage(text)],
            cancellationToken: cancellationToken);
        return completion.Content[0].Text;
    }}
}}
"""

    # ----- plain code -------------------------------------------------------------------------------------
    def plain(self, ns, i):
        r = self.r
        d, t = r.choice(DOMAINS), r.choice(WORDS)
        cls = f"{d}{cap(t)}Service{i}"
        n = r.randint(3, 9)
        props = "\n".join(f"    public {r.choice(['string', 'int', 'decimal', 'DateTime', 'bool'])} Field{k} {{ get; set; }}" for k in range(n))
        return f"""using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace {ns};

/// <summary>A {t} row.</summary>
public sealed class {cls}Row
{{
    public string Id {{ get; set; }} = string.Empty;

    public decimal Amount {{ get; set; }}

    public DateTime CreatedUtc {{ get; set; }}

{props}
}}

/// <summary>Plain {d.lower()} code: no model calls.</summary>
public sealed class {cls}
{{
    private readonly List<{cls}Row> rows = new();

    public void Add({cls}Row row)
    {{
        ArgumentNullException.ThrowIfNull(row);
        rows.Add(row);
    }}

    public decimal Total(DateTime fromUtc) => rows.Where(r => r.CreatedUtc >= fromUtc).Sum(r => r.Amount);

    public IReadOnlyDictionary<string, int> CountByDay()
    {{
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {{
            var key = row.CreatedUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            result[key] = result.TryGetValue(key, out var count) ? count + 1 : 1;
        }}

        return result;
    }}

    public string Render()
    {{
        var builder = new StringBuilder();
        var index = 0;
        while (index < rows.Count)
        {{
            var row = rows[index];
            builder.Append(row.Id).Append(';').Append(row.Amount.ToString(CultureInfo.InvariantCulture)).AppendLine();
            index++;
        }}

        return builder.ToString();
    }}

    public int Retry(Func<int> action)
    {{
        for (var attempt = 0; ; attempt++)
        {{
            try
            {{
                return action();
            }}
            catch (InvalidOperationException) when (attempt < {r.randint(1, 4)})
            {{
            }}
        }}
    }}
}}
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261123)
    a = ap.parse_args()
    if os.path.isdir(a.out):
        shutil.rmtree(a.out)
    os.makedirs(a.out)
    g = Gen(a.seed)
    kinds = [(g.meai_loop, 14), (g.meai_oneshot, 10), (g.meai_retry, 6), (g.agent, 12), (g.sk_loop, 10),
             (g.openai, 12), (g.plain, 36)]
    fns = [f for f, w in kinds for _ in range(w)]
    counts = {}
    lines = 0
    for i in range(a.files):
        fn = g.r.choice(fns)
        ns = f"AgentCorpus.{g.r.choice(DOMAINS)}"
        text = fn(ns, i)
        sub = os.path.join(a.out, fn.__name__)
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"File{i:05}.cs"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        counts[fn.__name__] = counts.get(fn.__name__, 0) + 1
        lines += text.count("\n")
    print(f"wrote {a.files} files, {lines} lines: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
