using System.Net;
using System.Text;

namespace AgentGuard.Tests.Providers;

/// <summary>
/// Answers every HTTP request with the next canned body, in order, and keeps the request bodies: a provider SDK
/// built over it runs its real serialization and parsing with no network.
/// </summary>
public sealed class CannedHttpHandler : HttpMessageHandler
{
    private readonly Queue<(string Body, string MediaType)> responses = new();

    public List<string> RequestBodies { get; } = [];

    public List<Uri?> RequestUris { get; } = [];

    public CannedHttpHandler Json(string body)
    {
        responses.Enqueue((body, "application/json"));
        return this;
    }

    public CannedHttpHandler EventStream(string body)
    {
        responses.Enqueue((body, "text/event-stream"));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestUris.Add(request.RequestUri);
        RequestBodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
        if (responses.Count == 0)
        {
            throw new InvalidOperationException($"No canned response left for {request.Method} {request.RequestUri}.");
        }

        var (body, mediaType) = responses.Dequeue();
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent(body, Encoding.UTF8, mediaType),
        };
    }
}
