using AgentGuard.Analyzers.Loops;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedRetryAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedRetryAnalyzerTests
{
    private static DiagnosticResult Retry(string what = "This loop", int location = 0)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0006_UnboundedRetry).WithLocation(location).WithArguments(what);

    /// <summary>The Polly v7 surface the rule recognises, declared in the test because tests reference Polly v8 only.</summary>
    private const string PollyV7Stub = /* lang=c#-test */ """

        namespace Polly
        {
            using System;
            using System.Threading.Tasks;

            public sealed class PolicyBuilder { }

            public sealed class AsyncRetryPolicy
            {
                public Task<T> ExecuteAsync<T>(Func<Task<T>> action) => action();
            }

            public static class Policy
            {
                public static PolicyBuilder Handle<TException>() where TException : Exception => new();
            }

            public static class AsyncRetrySyntax
            {
                public static AsyncRetryPolicy WaitAndRetryForeverAsync(this PolicyBuilder builder, Func<int, TimeSpan> sleep) => new();
                public static AsyncRetryPolicy RetryForeverAsync(this PolicyBuilder builder) => new();
            }
        }
        """;

    // ------------------------------------------------------------------ positives

    [Fact]
    public async Task WhileTrue_ReturnOnSuccess_CatchDelays_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ProductDescriptionService(IChatClient client)
            {
                public async Task<string> DescribeAsync(string product)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            var response = await client.GetResponseAsync("Describe " + product, new ChatOptions { MaxOutputTokens = 300 });
                            return response.Text;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(2));
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task WhileResultNull_SetInTry_EmptyCatch_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Classifier(IChatClient client)
            {
                public async Task<string> ClassifyAsync(string text)
                {
                    ChatResponse? result = null;
                    {|#0:while|} (result is null)
                    {
                        try
                        {
                            result = await client.GetResponseAsync("Classify: " + text);
                        }
                        catch
                        {
                        }
                    }

                    return result.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task DoWhileNotSucceeded_LogsAndGoesRound_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Translator(IChatClient client)
            {
                public async Task<string> TranslateAsync(string text)
                {
                    var succeeded = false;
                    var translation = "";
                    {|#0:do|}
                    {
                        try
                        {
                            translation = (await client.GetResponseAsync("Translate to French: " + text)).Text;
                            succeeded = true;
                        }
                        catch (Exception ex)
                        {
                            Console.Error.WriteLine("Model call failed, retrying: " + ex.Message);
                        }
                    }
                    while (!succeeded);

                    return translation;
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task ForEver_TransientErrorsContinue_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class RateLimitedCaller(IChatClient client)
            {
                public async Task<ChatResponse> CallAsync(string prompt)
                {
                    {|#0:for|} (;;)
                    {
                        try
                        {
                            return await client.GetResponseAsync(prompt);
                        }
                        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await Task.Delay(1000);
                            continue;
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task SemanticKernel_RetryOnServiceException_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class SkRetry(IChatCompletionService chat)
            {
                public async Task<ChatMessageContent> AskAsync(ChatHistory history)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            return await chat.GetChatMessageContentAsync(history);
                        }
                        catch (HttpOperationException ex)
                        {
                            if (ex.StatusCode == System.Net.HttpStatusCode.BadRequest)
                            {
                                throw;
                            }

                            await Task.Delay(500);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task OpenAISdk_RetryOnClientResultException_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.ClientModel;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using OpenAI.Chat;

            public sealed class OpenAIRetry(ChatClient client)
            {
                public async Task<ChatCompletion> CompleteAsync(List<ChatMessage> messages)
                {
                    ChatCompletion? completion = null;
                    {|#0:while|} (completion is null)
                    {
                        try
                        {
                            completion = await client.CompleteChatAsync(messages);
                        }
                        catch (ClientResultException)
                        {
                            await Task.Delay(250);
                        }
                    }

                    return completion;
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task GotoRetry_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class GotoRetry(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                retry:
                    try
                    {
                        return (await client.GetResponseAsync(question)).Text;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                        {|#0:goto|} retry;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Retry("This goto loop"));
    }

    [Fact]
    public async Task RetryThroughHelperMethod_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class OrderSummaryService(IChatClient client)
            {
                public async Task<string> SummarizeAsync(string order)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            return await CallModelAsync(order);
                        }
                        catch (TimeoutException)
                        {
                        }
                    }
                }

                private async Task<string> CallModelAsync(string order)
                    => (await client.GetResponseAsync("Summarize order " + order)).Text;
            }
            """;

        await Verify.VerifyAsync(source, Retry());
    }

    [Fact]
    public async Task PollyV8_MaxRetryAttemptsIntMaxValue_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            public sealed class ResilientChat(IChatClient client)
            {
                private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = {|#0:int.MaxValue|} })
                    .Build();

                public async Task<string> AskAsync(string question)
                    => (await pipeline.ExecuteAsync(async ct => await client.GetResponseAsync(question, cancellationToken: ct))).Text;
            }
            """;

        await Verify.VerifyAsync(source, Retry("MaxRetryAttempts = int.MaxValue"));
    }

    [Fact]
    public async Task PollyV7_WaitAndRetryForever_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;

            public sealed class LegacyResilientChat(IChatClient client)
            {
                private readonly AsyncRetryPolicy policy = {|#0:Policy.Handle<HttpRequestException>().WaitAndRetryForeverAsync(_ => TimeSpan.FromSeconds(1))|};

                public Task<ChatResponse> AskAsync(string question)
                    => policy.ExecuteAsync(() => client.GetResponseAsync(question));
            }
            """ + PollyV7Stub;

        await Verify.VerifyAsync(source, Retry("Polly's WaitAndRetryForeverAsync"));
    }

    // ------------------------------------------------------------------ negatives

    [Fact]
    public async Task ExceptionFilterCountsAttempts_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class CountedRetry(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException) when (++attempt < 3)
                        {
                            await Task.Delay(1000 * attempt);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task GuardInCatchRethrowsWhenSpent_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class GuardedRetry(IChatClient client)
            {
                private const int MaxAttempts = 4;

                public async Task<string> AskAsync(string question)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (Exception)
                        {
                            attempt++;
                            if (attempt >= MaxAttempts)
                            {
                                throw;
                            }
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ForLoopOverAttempts_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ForRetry(IChatClient client)
            {
                public async Task<string?> AskAsync(string question)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (TimeoutException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(attempt));
                        }
                    }

                    return null;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task CatchRethrowsOrFallsBack_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class NoRetry(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException ex)
                        {
                            Console.Error.WriteLine(ex);
                            throw;
                        }
                    }
                }

                public async Task<string> AskWithFallbackAsync(string question)
                {
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            return "The assistant is unavailable right now.";
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PollyV8_FiniteAttempts_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            public sealed class ResilientChat(IChatClient client)
            {
                private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 5 })
                    .Build();

                public async Task<string> AskAsync(string question)
                    => (await pipeline.ExecuteAsync(async ct => await client.GetResponseAsync(question, cancellationToken: ct))).Text;
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task RetryWithoutModelCall_AndPollyForeverWithoutModelCall_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;

            public sealed class WeatherClient(HttpClient http)
            {
                private readonly AsyncRetryPolicy policy = Policy.Handle<HttpRequestException>().RetryForeverAsync();

                public async Task<string> GetAsync()
                {
                    while (true)
                    {
                        try
                        {
                            return await http.GetStringAsync("https://example.com/weather");
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            }

            public sealed class Unused(IChatClient client)
            {
                public IChatClient Client => client;
            }
            """ + PollyV7Stub;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task DeadlineBoundsRetry_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Diagnostics;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class DeadlineRetry(IChatClient client)
            {
                public async Task<string> AskAsync(string question)
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        try
                        {
                            return (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ChatLoopCatchingPerTurn_PacedByPerson_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ConsoleChat(IChatClient client)
            {
                public async Task RunAsync()
                {
                    while (true)
                    {
                        var input = Console.ReadLine();
                        if (string.IsNullOrEmpty(input)) return;
                        try
                        {
                            Console.WriteLine((await client.GetResponseAsync(input)).Text);
                        }
                        catch (HttpRequestException ex)
                        {
                            Console.WriteLine("Error: " + ex.Message);
                        }
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task CatchGivesUpWithBreak_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class GiveUp(IChatClient client)
            {
                public async Task<string?> AskAsync(string question)
                {
                    string? answer = null;
                    while (answer is null)
                    {
                        try
                        {
                            answer = (await client.GetResponseAsync(question)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            break;
                        }
                    }

                    return answer;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task AgentLoopWithoutTry_IsAG0001NotAG0006_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Agent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                    while (true)
                    {
                        var response = await client.GetResponseAsync(messages);
                        if (response.Text.Contains("DONE")) break;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
