using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelaMem.Llm.Tests.Fakes;

/// <summary>
/// An OpenAI and Azure OpenAI stand-in on a loopback HTTPS port (a self-signed certificate the tests' client trusts):
/// <c>POST /v1/chat/completions</c> and <c>/v1/embeddings</c> with <c>Authorization: Bearer</c>, and
/// <c>POST /openai/deployments/{deployment}/chat/completions|embeddings?api-version=</c> with the <c>api-key</c>
/// header. It refuses a wrong key (401), a wrong api-version (400) and an unknown deployment (404) as the services do,
/// plays the scripted <see cref="FakeReply"/> modes, and records every request.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentQueue<string> _answers = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _unmatched = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private FakeLlmServer(WebApplication app, X509Certificate2 certificate, string key, string apiVersion, IReadOnlySet<string> deployments)
    {
        _app = app;
        _certificate = certificate;
        Key = key;
        ApiVersion = apiVersion;
        Deployments = deployments;
    }

    /// <summary>The key the server accepts (as bearer token and as api-key).</summary>
    public string Key { get; }

    /// <summary>The api-version the Azure routes accept.</summary>
    public string ApiVersion { get; }

    /// <summary>The Azure deployments that exist.</summary>
    public IReadOnlySet<string> Deployments { get; }

    /// <summary>The server's base address, e.g. https://127.0.0.1:41234.</summary>
    public string BaseAddress { get; private set; } = "";

    /// <summary>The address to configure for the openai provider (the OpenAI base path).</summary>
    public string OpenAIEndpoint => BaseAddress + "/v1";

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>
    /// What a chat request is answered, from its messages' texts in order; null (the default) echoes the last one as
    /// <c>"echo: ..."</c>. A scripted answerer lets a caller's own logic (e.g. an evaluation) run on known replies.
    /// </summary>
    public Func<IReadOnlyList<string>, string>? ChatReply { get; set; }

    /// <summary>Requests to routes neither protocol has (method, path and query).</summary>
    public IReadOnlyList<string> Unmatched => [.. _unmatched];

    /// <summary>Starts a server that accepts <paramref name="key"/>, Azure api-version <paramref name="apiVersion"/> and the given deployments.</summary>
    public static Task<FakeLlmServer> StartAsync(string key, string apiVersion, params string[] deployments) =>
        StartAsync(key, apiVersion, https: true, deployments);

    /// <summary>
    /// As <see cref="StartAsync(string, string, string[])"/>, on plain HTTP: for a silo in another process, which cannot be
    /// told to trust the test certificate (the openai provider accepts an http endpoint, as for a local Ollama).
    /// </summary>
    public static Task<FakeLlmServer> StartPlainHttpAsync(string key) => StartAsync(key, "2024-10-21", https: false, []);

    private static async Task<FakeLlmServer> StartAsync(string key, string apiVersion, bool https, string[] deployments)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (https)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var server = new FakeLlmServer(app, certificate, key, apiVersion, deployments.ToHashSet(StringComparer.Ordinal));
        app.MapPost("/v1/chat/completions", context => server.HandleAsync(context, "openai", "chat", null));
        app.MapPost("/v1/embeddings", context => server.HandleAsync(context, "openai", "embeddings", null));
        app.MapPost("/openai/deployments/{deployment}/chat/completions", (HttpContext context, string deployment) => server.HandleAsync(context, "azure", "chat", deployment));
        app.MapPost("/openai/deployments/{deployment}/embeddings", (HttpContext context, string deployment) => server.HandleAsync(context, "azure", "embeddings", deployment));
        app.MapFallback(context =>
        {
            // A route neither service has: kept, so that a test sees where the SDK went.
            server._unmatched.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        server.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        return server;
    }

    /// <summary>Queues what the next requests get, one reply per request.</summary>
    public void Script(params FakeReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>
    /// Queues the text of the next successful chat answers, one per answer (an echo of the last message when none is
    /// queued): what a model would say, for the code that reads it.
    /// </summary>
    public void ScriptAnswers(params string[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    /// <summary>An HTTP client that trusts this server's certificate (and no other).</summary>
    public HttpClient CreateTrustingClient() => CreateTrustingClient([this]);

    /// <summary>An HTTP client that trusts the certificates of <paramref name="servers"/> (and no other).</summary>
    public static HttpClient CreateTrustingClient(IReadOnlyList<FakeLlmServer> servers)
    {
        var thumbprints = servers.Select(s => s._certificate.GetCertHashString()).ToHashSet(StringComparer.Ordinal);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && thumbprints.Contains(presented.GetCertHashString());
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private DateTimeOffset Now => _started + _clock.Elapsed;

    private async Task HandleAsync(HttpContext context, string protocol, string operation, string? deployment)
    {
        var receivedAt = Now;
        var request = context.Request;
        var apiVersion = protocol == "azure" ? request.Query["api-version"].ToString() : null;
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var model = deployment ?? body["model"]?.GetValue<string>() ?? "";

        // The services' own refusals come before any scripted behaviour, as they would.
        var refusal = protocol == "openai"
            ? request.Headers.Authorization.ToString() == $"Bearer {Key}" ? null : (401, "invalid_api_key", $"Incorrect API key provided: {Mask(request.Headers.Authorization.ToString())}.")
            : request.Headers["api-key"].ToString() != Key ? (401, "401", "Access denied due to invalid subscription key or wrong API endpoint.")
            : apiVersion != ApiVersion ? (400, "BadRequest", "API version not supported")
            : !Deployments.Contains(model) ? (404, "DeploymentNotFound", "The API deployment for this resource does not exist.")
            : ((int, string, string)?)null;
        if (refusal is var (status, code, message))
        {
            Record(body, protocol, operation, model, apiVersion, receivedAt, FakeReply.Ok, status, 0, 0);
            await WriteErrorAsync(context, status, code, message);
            return;
        }

        var reply = _script.TryDequeue(out var scripted) ? scripted : FakeReply.Ok;
        switch (reply)
        {
            case FakeReply.TooManyRequests:
                Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 429, 0, 0);
                context.Response.Headers.RetryAfter = "1";
                await WriteErrorAsync(context, 429, "429", "Requests to the deployment have exceeded the rate limit. Retry after 1 second.");
                return;
            case FakeReply.ServerError:
                Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 500, 0, 0);
                await WriteErrorAsync(context, 500, "server_error", "The server had an error while processing your request.");
                return;
            case FakeReply.Hang:
                Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 0, 0, 0);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The client gave up: what the hang is for.
                }

                return;
            case FakeReply.MalformedJson:
                Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 200, 0, 0);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":");
                return;
            case FakeReply.ContentFilterRefusal:
                Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 400, 0, 0);
                await WriteJsonAsync(context, 400, new JsonObject
                {
                    ["error"] = new JsonObject
                    {
                        ["message"] = "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                        ["type"] = null,
                        ["param"] = "prompt",
                        ["code"] = "content_filter",
                        ["status"] = 400,
                        ["innererror"] = new JsonObject { ["code"] = "ResponsibleAIPolicyViolation" },
                    },
                });
                return;
        }

        var (answer, prompt, completion) = operation == "chat"
            ? Chat(body, model, reply == FakeReply.ContentFilterFinish, ChatReply)
            : Embeddings(body, model, reply == FakeReply.WrongLength);
        Record(body, protocol, operation, model, apiVersion, receivedAt, reply, 200, prompt, completion);
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await WriteStreamAsync(context, answer, body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
            return;
        }

        await WriteJsonAsync(context, 200, answer);
    }

    // A streamed chat answer as server-sent events: the role, the text word by word, the finish reason, then (when
    // asked for) a chunk with the usage and no choices, then [DONE].
    private static async Task WriteStreamAsync(HttpContext context, JsonObject answer, bool includeUsage)
    {
        context.Response.ContentType = "text/event-stream";
        var choice = answer["choices"]![0]!;
        var text = choice["message"]!["content"]!.GetValue<string>();
        var pieces = text.Split(' ').Select((word, i) => i == 0 ? word : " " + word).ToList();
        for (var i = 0; i < pieces.Count; i++)
        {
            var delta = new JsonObject { ["content"] = pieces[i] };
            if (i == 0)
            {
                delta["role"] = "assistant";
            }

            await WriteEventAsync(context, Chunk(answer, new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["finish_reason"] = i == pieces.Count - 1 ? choice["finish_reason"]!.GetValue<string>() : null,
            })));
        }

        if (includeUsage)
        {
            var chunk = Chunk(answer, []);
            chunk["usage"] = answer["usage"]!.DeepClone();
            await WriteEventAsync(context, chunk);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static JsonObject Chunk(JsonObject answer, JsonArray choices) => new()
    {
        ["id"] = answer["id"]!.DeepClone(),
        ["object"] = "chat.completion.chunk",
        ["created"] = answer["created"]!.DeepClone(),
        ["model"] = answer["model"]!.DeepClone(),
        ["choices"] = choices,
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject chunk)
    {
        await context.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
        await context.Response.Body.FlushAsync();
    }

    private (JsonObject Answer, int Prompt, int Completion) Chat(JsonObject body, string model, bool filtered, Func<IReadOnlyList<string>, string>? answerer)
    {
        var contents = (body["messages"] as JsonArray ?? []).Select(message => TextOf(message?["content"])).ToList();
        var reply = filtered ? "" : _answers.TryDequeue(out var scripted) ? scripted : answerer is null ? $"echo: {contents.LastOrDefault()}" : answerer(contents);
        var prompt = contents.Sum(Words);
        var completion = Words(reply);
        var answer = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply },
                ["finish_reason"] = filtered ? "content_filter" : "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["completion_tokens"] = completion, ["total_tokens"] = prompt + completion },
        };
        return (answer, prompt, completion);
    }

    // A deterministic vector per text, in the encoding the client asked for: the OpenAI SDK asks for base64 (little-endian
    // float32), plain clients for JSON numbers. Without a requested size: its length and a few character counts; with
    // one (the request's "dimensions", as text-embedding-3 models take it): its words hashed into that many buckets, so
    // texts sharing words point the same way, as a real model's vectors of related texts do.
    private static (JsonObject Answer, int Prompt, int Completion) Embeddings(JsonObject body, string model, bool wrongLength)
    {
        var inputs = body["input"] is JsonArray array ? array.Select(TextOf).ToList() : [TextOf(body["input"])];
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var dimensions = body["dimensions"]?.GetValue<int>();
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = dimensions is { } size ? WordVectorOf(inputs[i], size) : VectorOf(inputs[i]);
            if (wrongLength)
            {
                vector = vector[..^1];
            }

            JsonNode embedding = base64
                ? Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray())
                : new JsonArray([.. vector.Select(v => (JsonNode)v)]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var prompt = inputs.Sum(Words);
        var answer = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = prompt, ["total_tokens"] = prompt },
        };
        return (answer, prompt, 0);
    }

    /// <summary>The vector the server answers for <paramref name="text"/>.</summary>
    public static float[] VectorOf(string text) =>
        [text.Length, text.Count(char.IsWhiteSpace), text.Count(c => "aeiou".Contains(c, StringComparison.Ordinal)), text.Count(char.IsUpper)];

    /// <summary>The vector the server answers for <paramref name="text"/> when asked for <paramref name="dimensions"/> numbers (not unit length).</summary>
    public static float[] WordVectorOf(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split([' ', ',', '.', '?', '!', ':', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            // FNV-1a: the same bucket in every process.
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % (uint)dimensions] += 2f;
        }

        return vector;
    }

    private static string TextOf(JsonNode? content) => content switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(part => part?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };

    private static int Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    // Like OpenAI's 401 message: the start and end of what was sent, never the whole key.
    private static string Mask(string authorization)
    {
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : authorization;
        return token.Length <= 8 ? "***" : $"{token[..3]}***{token[^2..]}";
    }

    private void Record(JsonObject body, string protocol, string operation, string model, string? apiVersion, DateTimeOffset at, FakeReply reply, int status, int prompt, int completion) =>
        _requests.Enqueue(new RecordedRequest(protocol, operation, model, apiVersion, at, reply, status, prompt, completion, body));

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["param"] = null, ["code"] = code },
        });

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Kestrel needs the private key in a form it can use for TLS: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
