using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Loops the outside world paces: a person, a queue, a channel, a socket, a consumer, data from another API.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task ConsoleChat_PacedByPerson_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            IChatClient client = null!;
            List<ChatMessage> history = [new(ChatRole.System, "You are a helpful assistant.")];
            while (true)
            {
                Console.Write("> ");
                var input = Console.ReadLine();
                if (input is null or "exit") break;
                history.Add(new ChatMessage(ChatRole.User, input));
                var response = await client.GetResponseAsync(history);
                Console.WriteLine(response.Text);
                history.AddMessages(response);
            }
            """;

        await LoopTestHelpers.VerifyTopLevelAsync<UnboundedAgentLoopAnalyzer>(source);
    }

    [Fact]
    public async Task ConsoleInReadLineAsync_PacedByPerson_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class ChatLoop(IChatCompletionService chat, Kernel kernel)
            {
                public async Task RunAsync()
                {
                    var history = new ChatHistory();
                    string? line;
                    while ((line = await Console.In.ReadLineAsync()) is not null)
                    {
                        history.AddUserMessage(line);
                        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);
                        history.Add(reply);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ChannelWorker_PacedByQueue_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class TicketTriageWorker(Channel<string> tickets, IChatClient client)
            {
                public async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var ticket = await tickets.Reader.ReadAsync(stoppingToken);
                        var response = await client.GetResponseAsync("Classify: " + ticket, cancellationToken: stoppingToken);
                        System.Console.WriteLine(response.Text);
                    }
                }

                public async Task DrainAsync(CancellationToken ct)
                {
                    while (await tickets.Reader.WaitToReadAsync(ct))
                    {
                        while (tickets.Reader.TryRead(out var ticket))
                        {
                            await client.GetResponseAsync(ticket, cancellationToken: ct);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task BlockingCollectionAndConcurrentQueue_PacedByQueue_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Concurrent;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Summarizer(IChatClient client)
            {
                private readonly BlockingCollection<string> documents = new();
                private readonly ConcurrentQueue<string> emails = new();

                public async Task RunAsync()
                {
                    while (true)
                    {
                        var document = documents.Take();
                        await client.GetResponseAsync("Summarize: " + document);
                    }
                }

                public async Task PollAsync()
                {
                    while (true)
                    {
                        if (emails.TryDequeue(out var email))
                        {
                            await client.GetResponseAsync("Draft a reply: " + email);
                        }
                        else
                        {
                            await Task.Delay(500);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PagingLoop_ExitDependsOnOtherApi_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Page(IReadOnlyList<string> Reviews, string? NextToken);

            public interface IReviewApi
            {
                Task<Page> GetPageAsync(string? token);
            }

            public sealed class ReviewDigest(IReviewApi api, IChatClient client)
            {
                public async Task RunAsync()
                {
                    string? token = null;
                    do
                    {
                        var page = await api.GetPageAsync(token);
                        await client.GetResponseAsync("Summarize: " + string.Join("\n", page.Reviews));
                        token = page.NextToken;
                    }
                    while (token is not null);
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task SocketAndBrokerReceive_PacedByOutsideWorld_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Sockets;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class UdpAssistant(UdpClient udp, IChatClient client)
            {
                public async Task RunAsync(CancellationToken ct)
                {
                    while (!ct.IsCancellationRequested)
                    {
                        var datagram = await udp.ReceiveAsync(ct);
                        var question = Encoding.UTF8.GetString(datagram.Buffer);
                        await client.GetResponseAsync(question, cancellationToken: ct);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task IteratorYieldingEachAnswer_PacedByConsumer_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using Microsoft.Extensions.AI;

            public sealed class IdeaStream(IChatClient client)
            {
                public async IAsyncEnumerable<string> IdeasAsync(string topic)
                {
                    while (true)
                    {
                        var response = await client.GetResponseAsync("Another idea about " + topic);
                        yield return response.Text;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task JobWorker_ModelCallGatedByFetchedJob_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed record Job(string Id, string Text);

            public interface IJobStore
            {
                Task<Job?> ClaimNextAsync(CancellationToken cancellationToken);
            }

            public sealed class EnrichmentWorker(IJobStore jobs, IChatClient client)
            {
                public async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        var job = await jobs.ClaimNextAsync(stoppingToken);
                        if (job is null)
                        {
                            await Task.Delay(5000, stoppingToken);
                            continue;
                        }

                        await client.GetResponseAsync("Enrich: " + job.Text, cancellationToken: stoppingToken);
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
