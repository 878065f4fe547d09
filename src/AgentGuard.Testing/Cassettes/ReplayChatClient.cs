using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard.Testing;

/// <summary>
/// Serves a <see cref="Cassette"/> back in order, offline: each request is compared with the recorded one and
/// answered with the recorded response (usage included), so a run's steps, tokens and cost replay exactly. A request
/// that differs throws a <see cref="CassetteMismatchException"/> that says which interaction and message differ and
/// shows the first difference.
/// </summary>
/// <remarks>
/// <para>
/// Requests match when their model, output cap, tool mode, tools (name, description and schema) and messages (role,
/// and text, function name and canonical arguments, or result text of each content) are the same. Before that, the
/// cacheable prefix of the step — the instructions, the leading system messages and the tool declarations — is
/// compared byte for byte, so a change that would make the provider's prompt cache miss fails even though the
/// replayed token counts cannot change.
/// </para>
/// <para>Thread-safe; use one replay client per run to replay runs in parallel.</para>
/// </remarks>
public sealed class ReplayChatClient : IChatClient
{
    private readonly SecretRedactor redactor;
    private CassetteMismatchException? firstMismatch;
    private int next;

    /// <summary>Replays <paramref name="cassette"/>.</summary>
    /// <param name="cassette">The recording to serve.</param>
    /// <param name="secrets">Secrets that were redacted when the cassette was saved: they are redacted from live
    /// requests too before comparing, like anything shaped like an API key.</param>
    public ReplayChatClient(Cassette cassette, IEnumerable<string>? secrets = null)
    {
        Cassette = cassette ?? throw new ArgumentNullException(nameof(cassette));
        redactor = new SecretRedactor((secrets ?? Enumerable.Empty<string>()).Concat(cassette.Secrets).ToList());
    }

    /// <summary>The cassette being replayed.</summary>
    public Cassette Cassette { get; }

    /// <summary>Whether the cacheable prefix of each step is compared (the default).</summary>
    public bool CheckPrefix { get; set; } = true;

    /// <summary>How many interactions have been served.</summary>
    public int Served => Math.Min(Volatile.Read(ref next), Cassette.Count);

    /// <summary>Whether every recorded interaction has been served.</summary>
    public bool IsComplete => Served == Cassette.Count;

    /// <summary>
    /// The first mismatch thrown, or <see langword="null"/>. An agent loop that catches model errors (a generated
    /// agent ends its run as failed, with the error on its result) keeps it from the test; it is kept here.
    /// </summary>
    public CassetteMismatchException? FirstMismatch => Volatile.Read(ref firstMismatch);

    /// <summary>
    /// Throws the first <see cref="CassetteMismatchException"/> of the replay, even if the code under test caught it,
    /// or one saying a step is missing when the run took fewer steps than were recorded.
    /// </summary>
    public void VerifyAllServed()
    {
        if (FirstMismatch is { } mismatch)
        {
            throw new CassetteMismatchException(mismatch.InteractionIndex, mismatch.Message);
        }

        if (!IsComplete)
        {
            throw new CassetteMismatchException(Served, $"A step is missing: the run made {Served} model calls, the recording has {Cassette.Count} interactions.");
        }
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var interaction = Match(messages, options);
        return Task.FromResult(CassetteConversion.ToChatResponse(interaction.Response));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var interaction = Match(messages, options);
        var response = CassetteConversion.ToChatResponse(interaction.Response);
        var responseId = "replay-" + Guid.NewGuid().ToString("N");
        for (var i = 0; i < response.Messages.Count; i++)
        {
            var message = response.Messages[i];
            yield return new ChatResponseUpdate(message.Role, message.Contents.ToList())
            {
                ResponseId = responseId,
                MessageId = responseId + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                AuthorName = message.AuthorName,
                ModelId = response.ModelId,
            };
            await Task.Yield();
        }

        var final = new ChatResponseUpdate
        {
            ResponseId = responseId,
            ModelId = response.ModelId,
            FinishReason = response.FinishReason,
            Role = ChatRole.Assistant,
        };
        if (response.Usage is { } usage)
        {
            final.Contents.Add(new UsageContent(usage));
        }

        yield return final;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceType is null)
        {
            throw new ArgumentNullException(nameof(serviceType));
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private CassetteInteraction Match(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var index = Interlocked.Increment(ref next) - 1;
        var recorded = Cassette.Get(index)
            ?? throw Mismatch(new CassetteMismatchException(index, $"Interaction {index}: a step was added: the recording has {Cassette.Count} interactions."));

        var current = Redact(CassetteConversion.ToRequest(messages, options));
        var difference = (CheckPrefix ? RequestComparer.PrefixDifference(index, recorded.Request, current) : null)
            ?? RequestComparer.Difference(index, recorded.Request, current);
        if (difference is not null)
        {
            throw Mismatch(new CassetteMismatchException(index, difference));
        }

        return recorded;
    }

    private CassetteMismatchException Mismatch(CassetteMismatchException mismatch)
    {
        Interlocked.CompareExchange(ref firstMismatch, mismatch, null);
        return mismatch;
    }

    private CassetteRequest Redact(CassetteRequest request)
    {
        request.Instructions = redactor.Redact(request.Instructions);
        foreach (var tool in request.Tools)
        {
            tool.Description = redactor.Redact(tool.Description);
            tool.Schema = redactor.Redact(tool.Schema);
        }

        foreach (var content in request.Messages.SelectMany(message => message.Contents))
        {
            content.Text = redactor.Redact(content.Text);
            content.Arguments = redactor.Redact(content.Arguments);
        }

        return request;
    }
}
