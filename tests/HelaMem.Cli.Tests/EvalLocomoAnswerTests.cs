using System.Text.Json;
using HelaMem.Cli.Answering;
using HelaMem.Llm.Tests.Fakes;

namespace HelaMem.Cli.Tests;

/// <summary>
/// <c>eval locomo --answer</c> end to end: the real provider call path (HelaMem.Llm's factory, the OpenAI and Azure
/// OpenAI SDKs) against the in-process fake provider, scripted to answer the fixture's questions, so every F1, judge
/// and token figure is known.
/// </summary>
public sealed class EvalLocomoAnswerTests : IDisposable
{
    private readonly FixtureData _data = new();

    public void Dispose() => _data.Dispose();

    private string AnswersPath => Path.Combine(_data.Output, "answers.jsonl");

    private string[] Bm25Answer(params string[] extra) =>
        ["eval", "locomo", "--data", _data.Directory, "--conversations", "1", "--method", "bm25", "--embedder", "hashing",
         "--top-k", "3", "--max-flipped", "1", "--output", _data.Output, "--answer", .. extra];

    [Fact]
    public async Task Answers_are_scored_per_category_with_judge_tokens_and_cost()
    {
        await using var provider = await AnswerProvider.StartAsync();

        var (exitCode, output) = await CliHarness.RunAsync(provider.OpenAIContext(),
            Bm25Answer("--judge", "--price-in", "2.5", "--price-out", "10", "--answers-out", AnswersPath));

        Assert.True(exitCode == 0, output);
        using var summary = ReadSummary();
        var answer = summary.RootElement[0].GetProperty("answer");
        Assert.Equal(AnswerProvider.Model, answer.GetProperty("model").GetString());
        Assert.Equal(FixtureData.QuestionsInOne, answer.GetProperty("questions").GetInt32());

        // By hand (AnswerProvider.Predictions against the fixture's gold): multi-hop "violin" for "Chicago, violin" 0.5;
        // temporal exact; open-domain "yes" for "Yes; ..." 1; single-hop 1, 2/3, 1/2 and 0 (abstained on "sunny");
        // adversarial abstained: 1.
        var f1 = answer.GetProperty("f1");
        Assert.Equal(50, f1.GetProperty("1").GetDouble());
        Assert.Equal(100, f1.GetProperty("2").GetDouble());
        Assert.Equal(100, f1.GetProperty("3").GetDouble());
        Assert.Equal(54.17, f1.GetProperty("4").GetDouble());
        Assert.Equal(100, f1.GetProperty("5").GetDouble());
        Assert.Equal(66.67, f1.GetProperty("mean_1_4").GetDouble());
        Assert.Equal(70.83, f1.GetProperty("mean_1_5").GetDouble());

        // The fake judge: CORRECT when one answer contains the other, an unclear reply for "her grandmother".
        var judge = answer.GetProperty("judge");
        Assert.Equal(100, judge.GetProperty("1").GetDouble());
        Assert.Equal(0, judge.GetProperty("2").GetDouble());
        Assert.Equal(100, judge.GetProperty("3").GetDouble());
        Assert.Equal(50, judge.GetProperty("4").GetDouble());
        Assert.Equal(100, judge.GetProperty("5").GetDouble());
        Assert.Equal(57.14, judge.GetProperty("mean_1_4").GetDouble());
        Assert.Equal(1, answer.GetProperty("judge_unclear").GetInt32());
        Assert.Equal(FixtureData.QuestionsInOne, provider.AnswerCalls.Count);
        Assert.Equal(FixtureData.QuestionsInOne, provider.JudgeCalls.Count);

        // Tokens are the provider's counts (the fake counts words of the messages and of the reply).
        var totals = answer.GetProperty("tokens");
        var prompt = provider.AnswerCalls.Sum(r => r.PromptTokens);
        var completion = provider.AnswerCalls.Sum(r => r.CompletionTokens);
        var judgePrompt = provider.JudgeCalls.Sum(r => r.PromptTokens);
        var judgeCompletion = provider.JudgeCalls.Sum(r => r.CompletionTokens);
        Assert.True(prompt > 0 && judgePrompt > 0);
        Assert.Equal(prompt, totals.GetProperty("prompt").GetDouble());
        Assert.Equal(completion, totals.GetProperty("completion").GetDouble());
        Assert.Equal(judgePrompt, totals.GetProperty("judge_prompt").GetDouble());
        Assert.Equal(judgeCompletion, totals.GetProperty("judge_completion").GetDouble());
        Assert.Equal(Math.Round((double)prompt / FixtureData.QuestionsInOne, 1), answer.GetProperty("tokens_per_question").GetProperty("prompt").GetDouble());

        // The context size per question is the recall table's (words of the same assembled context).
        Assert.Equal(summary.RootElement[0].GetProperty("context_tokens_per_query").GetDouble(),
            answer.GetProperty("tokens_per_question").GetProperty("context_words").GetDouble());

        var expectedCost = (((prompt + judgePrompt) * 2.5) + ((completion + judgeCompletion) * 10)) / 1_000_000;
        Assert.Equal(expectedCost, answer.GetProperty("cost").GetProperty("total").GetDouble(), 6);
        Assert.Equal(expectedCost / FixtureData.QuestionsInOne, answer.GetProperty("cost").GetProperty("per_question").GetDouble(), 6);

        Assert.Contains("LoCoMo answers", output, StringComparison.Ordinal);
        Assert.Matches(@"bm25\s*│\s*none\s*│\s*F1\s*│\s*8\s*│\s*50\.0\s*│\s*100\.0\s*│\s*100\.0\s*│\s*54\.2\s*│\s*100\.0\s*│\s*66\.7\s*│\s*70\.8", output);
        Assert.Matches(@"judge\s*│\s*8\s*│\s*100\.0\s*│\s*0\.0\s*│\s*100\.0\s*│\s*50\.0\s*│\s*100\.0\s*│\s*57\.1\s*│\s*62\.5", output);
        Assert.Contains($"tokens bm25 (none), model {AnswerProvider.Model}: per question context", output, StringComparison.Ordinal);
        Assert.Contains("; cost ", output, StringComparison.Ordinal);
        Assert.Contains("1 judge reply(ies) neither CORRECT nor WRONG", output, StringComparison.Ordinal);
        Assert.DoesNotContain(AnswerProvider.Key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answers_file_has_one_line_per_question_with_the_prompt_that_was_sent()
    {
        await using var provider = await AnswerProvider.StartAsync();

        var (exitCode, output) = await CliHarness.RunAsync(provider.OpenAIContext(), Bm25Answer("--answers-out", AnswersPath));

        Assert.True(exitCode == 0, output);
        var lines = File.ReadAllLines(AnswersPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(FixtureData.QuestionsInOne, lines.Count);
        Assert.Equal(
            ["method", "ablation", "conversation", "index", "category", "question", "gold", "prediction", "f1", "judge", "evidence_recall",
             "context_words", "prompt_tokens", "completion_tokens", "judge_prompt_tokens", "judge_completion_tokens", "cost", "filtered"],
            lines[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["violin", "27 June, 2023", "yes", "the saxophone", "bread", "her grandmother", AnswerScoring.NotMentioned, AnswerScoring.NotMentioned],
            lines.Select(l => l.GetProperty("prediction").GetString()));
        Assert.Equal([0.5, 1, 1, 1, 0.6667, 0.5, 0, 1], lines.Select(l => l.GetProperty("f1").GetDouble()));
        Assert.Equal("Chicago, violin", lines[0].GetProperty("gold").GetString());
        Assert.Equal(AnswerScoring.NotMentioned, lines[7].GetProperty("gold").GetString());
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("judge").ValueKind));
        Assert.All(lines, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("cost").ValueKind));
        Assert.Equal(JsonValueKind.Null, lines[6].GetProperty("evidence_recall").ValueKind);
        Assert.Equal(1, lines[3].GetProperty("evidence_recall").GetDouble());

        // Each question's prompt holds its retrieved context (dated lines) and the question; its tokens are the provider's.
        var calls = provider.AnswerCalls;
        Assert.Equal(lines.Select(l => (long)l.GetProperty("prompt_tokens").GetInt32()), calls.Select(c => (long)c.PromptTokens));
        Assert.Contains("[2023-05-08] Alice: I started learning the saxophone last week.", AnswerProvider.UserText(calls[3]), StringComparison.Ordinal);
        Assert.Contains("Question: Which instrument is Alice learning, the saxophone?", AnswerProvider.UserText(calls[3]), StringComparison.Ordinal);
        Assert.Empty(provider.JudgeCalls);

        using var summary = ReadSummary();
        var answer = summary.RootElement[0].GetProperty("answer");
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("judge").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("cost").ValueKind);
        Assert.DoesNotContain("; cost ", output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"│\s*judge\s*│", output);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_retry_after_and_max_questions_bounds_the_calls()
    {
        await using var provider = await AnswerProvider.StartAsync();
        provider.Server.Script(FakeReply.TooManyRequests);

        var (exitCode, output) = await CliHarness.RunAsync(provider.OpenAIContext(), Bm25Answer("--max-questions", "2"));

        Assert.True(exitCode == 0, output);
        var calls = provider.AnswerCalls;
        Assert.Equal(3, calls.Count);
        Assert.Equal(429, calls[0].Status);
        Assert.Equal(200, calls[1].Status);
        Assert.Equal(AnswerProvider.UserText(calls[0]), AnswerProvider.UserText(calls[1]));
        Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "the retry waited for Retry-After: 1");

        using var summary = ReadSummary();
        Assert.Equal(2, summary.RootElement[0].GetProperty("questions").GetInt32());
        Assert.Equal(2, summary.RootElement[0].GetProperty("answer").GetProperty("questions").GetInt32());
    }

    [Fact]
    public async Task A_provider_that_keeps_failing_stops_the_run_with_one_error_line_and_exit_code_1()
    {
        await using var provider = await AnswerProvider.StartAsync();
        provider.Server.Script(FakeReply.ServerError, FakeReply.ServerError);

        var (exitCode, output) = await CliHarness.RunAsync(provider.OpenAIContext(("HelaMem__Llm__MaxRetries", "1")), Bm25Answer("--answers-out", AnswersPath));

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains(
            $"error: answering question 1 of conversation 1 (bm25): The LLM provider (openai) failed chat on {AnswerProvider.Model}: HTTP 500 after 2 attempt(s).",
            output, StringComparison.Ordinal);
        Assert.Equal(2, provider.AnswerCalls.Count);
        Assert.False(File.Exists(Path.Combine(_data.Output, "summary.json")));
        Assert.Empty(File.ReadAllLines(AnswersPath));
        Assert.DoesNotContain(AnswerProvider.Key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_is_down_is_a_clear_error()
    {
        // A loopback port nothing listens on: connection refused, a network error, not retried here.
        var context = new CliContext(
            name => name switch
            {
                "HelaMem__Llm__Provider" => "openai",
                "HelaMem__Llm__Endpoint" => "http://127.0.0.1:1/v1",
                "HelaMem__Llm__ApiKey" => AnswerProvider.Key,
                "HelaMem__Llm__ChatModel" => AnswerProvider.Model,
                "HelaMem__Llm__MaxRetries" => "0",
                _ => null,
            },
            null);

        var (exitCode, output) = await CliHarness.RunAsync(context, Bm25Answer());

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains($"error: answering question 1 of conversation 1 (bm25): The LLM provider (openai) failed chat on {AnswerProvider.Model}: network error after 1 attempt(s).", output, StringComparison.Ordinal);
        Assert.DoesNotContain(AnswerProvider.Key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_provider_and_never_printed()
    {
        await using var provider = await AnswerProvider.StartAsync();
        const string wrongKey = "sk-wrong-key-0000SECRET";

        var (exitCode, output) = await CliHarness.RunAsync(provider.OpenAIContext(("HelaMem__Llm__ApiKey", wrongKey)), Bm25Answer());

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains($"refused chat on {AnswerProvider.Model} with HTTP 401", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", output, StringComparison.Ordinal);
        Assert.Single(provider.AnswerCalls);
    }

    [Fact]
    public async Task Azure_openai_is_reached_through_its_deployment_and_api_version_from_the_options()
    {
        await using var provider = await AnswerProvider.StartAsync();

        // Only the key comes from the environment; the rest from the options.
        var context = new CliContext(name => name == ChatProviderSettings.ApiKeyVariable ? AnswerProvider.Key : null, provider.Http);
        var (exitCode, output) = await CliHarness.RunAsync(context, Bm25Answer(
            "--max-questions", "2", "--llm-provider", "azure-openai", "--llm-endpoint", provider.Server.BaseAddress,
            "--chat-model", AnswerProvider.Deployment, "--llm-api-version", AnswerProvider.ApiVersion));

        Assert.True(exitCode == 0, output);
        Assert.All(provider.AnswerCalls, c =>
        {
            Assert.Equal("azure", c.Protocol);
            Assert.Equal(AnswerProvider.Deployment, c.Model);
            Assert.Equal(AnswerProvider.ApiVersion, c.ApiVersion);
            Assert.Equal(200, c.Status);
        });
        Assert.Equal(2, provider.AnswerCalls.Count);
        Assert.Contains($"Answering with azure-openai model {AnswerProvider.Deployment} at {provider.Server.BaseAddress}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_grains_engine_sends_the_model_the_same_contexts_as_the_core()
    {
        await using var provider = await AnswerProvider.StartAsync();
        var core = Path.Combine(_data.Output, "core.jsonl");
        var grains = Path.Combine(_data.Output, "grains.jsonl");
        string[] Hela(string engine, string answers) =>
            ["eval", "locomo", "--data", _data.Directory, "--conversations", "1", "--engine", engine, "--embedder", "hashing",
             "--top-k", "3", "--max-flipped", "1", "--output", _data.Output, "--answer", "--answers-out", answers];

        var (coreExit, coreOutput) = await CliHarness.RunAsync(provider.OpenAIContext(), Hela("core", core));
        var (grainsExit, grainsOutput) = await CliHarness.RunAsync(provider.OpenAIContext(), Hela("grains", grains));

        Assert.True(coreExit == 0, coreOutput);
        Assert.True(grainsExit == 0, grainsOutput);
        Assert.Equal(File.ReadAllLines(core), File.ReadAllLines(grains));
        var prompts = provider.AnswerCalls.Select(AnswerProvider.UserText).ToList();
        Assert.Equal(2 * FixtureData.QuestionsInOne, prompts.Count);
        Assert.Equal(prompts[..FixtureData.QuestionsInOne], prompts[FixtureData.QuestionsInOne..]);
    }

    [Fact]
    public async Task Answer_without_a_provider_is_a_usage_error()
    {
        var (exitCode, output) = await CliHarness.RunAsync(new CliContext(_ => null, null), Bm25Answer());

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error: --answer needs a chat model: set --llm-provider (openai or azure-openai) or HelaMem__Llm__Provider", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.Output));
    }

    [Theory]
    [InlineData("--judge applies only with --answer", "--judge")]
    [InlineData("--price-in applies only with --answer", "--price-in", "1")]
    [InlineData("--answers-out applies only with --answer", "--answers-out", "a.jsonl")]
    [InlineData("--chat-model applies only with --answer", "--chat-model", "gpt-test")]
    [InlineData("--llm-endpoint applies only with --answer", "--llm-endpoint", "http://localhost:11434/v1")]
    [InlineData("--max-questions must be at least 1 (got 0)", "--max-questions", "0")]
    public async Task Answer_options_are_checked(string error, params string[] options)
    {
        var (exitCode, output) = await CliHarness.RunAsync(new CliContext(_ => null, null),
            ["eval", "locomo", "--data", _data.Directory, "--method", "bm25", "--embedder", "hashing", "--output", _data.Output, .. options]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("error: " + error, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HelaMem:Llm:Endpoint is required for azure-openai", "--llm-provider", "azure-openai", "--chat-model", "d")]
    [InlineData("HelaMem:Llm:ChatModel is required when HelaMem:Llm:Provider is openai", "--llm-provider", "openai", "--llm-endpoint", "http://localhost:11434/v1")]
    [InlineData("HelaMem:Llm:Provider is 'anthropic'; it must be one of none, openai, azure-openai.", "--llm-provider", "anthropic")]
    [InlineData("--price-in and --price-out must be 0 or more per 1M tokens", "--llm-provider", "openai", "--llm-endpoint", "http://localhost:11434/v1", "--chat-model", "m", "--price-out", "-1")]
    public async Task Bad_provider_settings_are_usage_errors_naming_the_setting(string error, params string[] options)
    {
        var (exitCode, output) = await CliHarness.RunAsync(new CliContext(_ => null, null), Bm25Answer(options));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(error, output, StringComparison.Ordinal);
    }

    private JsonDocument ReadSummary() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_data.Output, "summary.json")));
}
