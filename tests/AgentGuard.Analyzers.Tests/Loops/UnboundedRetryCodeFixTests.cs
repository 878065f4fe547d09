using AgentGuard.Analyzers.Loops;
using AgentGuard.CodeFixes.Loops;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<AgentGuard.Analyzers.Loops.UnboundedRetryAnalyzer, AgentGuard.CodeFixes.Loops.AddAttemptLimitCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Loops;

public sealed class UnboundedRetryCodeFixTests
{
    private static DiagnosticResult Retry(int location, string what = "This loop")
        => Verify.Diagnostic(DiagnosticDescriptors.AG0006_UnboundedRetry).WithLocation(location).WithArguments(what);

    [Fact]
    public async Task CatchWithDelay_AddsAttemptFilter_Fixes()
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
                            return (await client.GetResponseAsync("Describe " + product)).Text;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(2));
                        }
                    }
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class ProductDescriptionService(IChatClient client)
            {
                public async Task<string> DescribeAsync(string product)
                {
                    const int MaxAttempts = 3;
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return (await client.GetResponseAsync("Describe " + product)).Text;
                        }
                        catch (HttpRequestException) when (++attempt < MaxAttempts)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(2));
                        }
                    }
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Retry(0)], fixedSource, equivalenceKey: AddAttemptLimitCodeFixProvider.Key_AddAttemptLimit);
    }

    [Fact]
    public async Task BareCatchAndExistingFilter_ConfiguredAttempts_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Net;
            using System.Net.Http;
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
                        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            await Task.Delay(1000);
                        }
                        catch
                        {
                        }
                    }

                    return result.Text;
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System.Net;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class Classifier(IChatClient client)
            {
                public async Task<string> ClassifyAsync(string text)
                {
                    ChatResponse? result = null;
                    const int MaxAttempts = 5;
                    var attempt = 0;
                    while (result is null)
                    {
                        try
                        {
                            result = await client.GetResponseAsync("Classify: " + text);
                        }
                        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests && ++attempt < MaxAttempts)
                        {
                            await Task.Delay(1000);
                        }
                        catch when (++attempt < MaxAttempts)
                        {
                        }
                    }

                    return result.Text;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Retry(0)], fixedSource, editorConfig: "AG0006.max_attempts = 5", equivalenceKey: AddAttemptLimitCodeFixProvider.Key_AddAttemptLimit);
    }

    [Fact]
    public async Task PollyMaxRetryAttempts_SetsLimit_Fixes()
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

        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;
            using Polly;
            using Polly.Retry;

            public sealed class ResilientChat(IChatClient client)
            {
                private readonly ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 })
                    .Build();

                public async Task<string> AskAsync(string question)
                    => (await pipeline.ExecuteAsync(async ct => await client.GetResponseAsync(question, cancellationToken: ct))).Text;
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Retry(0, "MaxRetryAttempts = int.MaxValue")], fixedSource, equivalenceKey: AddAttemptLimitCodeFixProvider.Key_SetMaxRetryAttempts);
    }

    [Fact]
    public async Task TwoRetryLoops_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class SkRetries(IChatCompletionService chat)
            {
                public async Task<ChatMessageContent> AskAsync(ChatHistory history)
                {
                    {|#0:while|} (true)
                    {
                        try
                        {
                            return await chat.GetChatMessageContentAsync(history);
                        }
                        catch (HttpOperationException)
                        {
                            await Task.Delay(500);
                        }
                    }
                }

                public async Task<string> SummarizeAsync(string text)
                {
                    var summary = "";
                    var ok = false;
                    {|#1:do|}
                    {
                        try
                        {
                            summary = (await chat.GetChatMessageContentAsync("Summarize: " + text)).Content ?? "";
                            ok = true;
                        }
                        catch (Exception ex)
                        {
                            Console.Error.WriteLine(ex.Message);
                        }
                    }
                    while (!ok);

                    return summary;
                }
            }
            """;

        const string fixedSource = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using Microsoft.SemanticKernel;
            using Microsoft.SemanticKernel.ChatCompletion;

            public sealed class SkRetries(IChatCompletionService chat)
            {
                public async Task<ChatMessageContent> AskAsync(ChatHistory history)
                {
                    const int MaxAttempts = 3;
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await chat.GetChatMessageContentAsync(history);
                        }
                        catch (HttpOperationException) when (++attempt < MaxAttempts)
                        {
                            await Task.Delay(500);
                        }
                    }
                }

                public async Task<string> SummarizeAsync(string text)
                {
                    var summary = "";
                    var ok = false;
                    const int MaxAttempts = 3;
                    var attempt = 0;
                    do
                    {
                        try
                        {
                            summary = (await chat.GetChatMessageContentAsync("Summarize: " + text)).Content ?? "";
                            ok = true;
                        }
                        catch (Exception ex) when (++attempt < MaxAttempts)
                        {
                            Console.Error.WriteLine(ex.Message);
                        }
                    }
                    while (!ok);

                    return summary;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Retry(0), Retry(1)], fixedSource, equivalenceKey: AddAttemptLimitCodeFixProvider.Key_AddAttemptLimit);
    }
}
