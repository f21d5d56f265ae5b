using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HelaMem.Client.Contracts;

namespace HelaMem.Client;

/// <summary>Sending, retrying and turning failures into <see cref="HelaMemApiException"/>.</summary>
public sealed partial class HelaMemClient
{
    private enum Access
    {
        Tenant,
        Operator,
    }

    /// <summary>The JSON settings of the wire format (web defaults: camelCase, case-insensitive reads).</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The request header that makes an ingest idempotent.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    private static Func<HttpContent> Json<T>(T body) => () => JsonContent.Create(body, options: SerializerOptions);

    private async Task SendAsync(HttpMethod method, string path, Func<HttpContent>? content, Access access, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetriesAsync(method, path, content, access, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, Func<HttpContent>? content, Access access, CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        using var response = await SendWithRetriesAsync(method, path, content, access, cancellationToken, idempotencyKey);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(SerializerOptions, cancellationToken)
                ?? throw new HelaMemApiException(response.StatusCode, $"{method} /{path} returned an empty body.");
        }
        catch (JsonException e)
        {
            throw new HelaMemApiException($"{method} /{path} returned a body that is not the expected JSON: {e.Message}", e);
        }
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpMethod method, string path, Func<HttpContent>? content, Access access, CancellationToken cancellationToken,
        string? idempotencyKey = null)
    {
        var key = access == Access.Tenant ? _options.ApiKey : _options.OperatorKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new HelaMemApiException(access == Access.Tenant
                ? $"No API key: set {HelaMemClientOptions.ApiKeyVariable} (create one with 'helamem tenants create NAME')."
                : $"No operator key: set {HelaMemClientOptions.OperatorKeyVariable} (the silo prints it at its first start).");
        }

        // A request with an idempotency key is as safe to repeat as a GET: the server answers a repeat with the first result.
        var safe = method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Put || idempotencyKey is not null;
        var endpoints = _options.Endpoints;
        var triedSinceDelay = 0;
        for (var attempt = 0; ; attempt++)
        {
            var index = Volatile.Read(ref _endpoint) % endpoints.Count;
            var endpoint = endpoints[index];
            Attempt outcome;
            using (var request = new HttpRequestMessage(method, new Uri(endpoint, path)))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                if (idempotencyKey is not null)
                {
                    request.Headers.Add(IdempotencyHeader, idempotencyKey);
                }

                request.Content = content?.Invoke();
                outcome = await SendOnceAsync(request, safe, cancellationToken);
            }

            var response = outcome.Response;
            if (response is { IsSuccessStatusCode: true })
            {
                return response;
            }

            // Another silo may answer where this one did not: it refused the connection (the request never left), a
            // call safe to repeat timed out or lost its connection, or the silo said it is unavailable (503).
            var unavailable = outcome.Failure is not null || response!.StatusCode == HttpStatusCode.ServiceUnavailable;
            var retryable = unavailable || response!.StatusCode == HttpStatusCode.TooManyRequests || (safe && (int)response.StatusCode >= 500);
            if (!retryable || attempt >= _options.MaxRetries)
            {
                if (outcome.Failure is { } failure)
                {
                    throw failure;
                }

                using (response)
                {
                    throw await ToExceptionAsync(response!, method, path, cancellationToken);
                }
            }

            var retryAfter = response?.Headers.RetryAfter;
            response?.Dispose();
            if (unavailable && endpoints.Count > 1)
            {
                // Move on (unless a concurrent call already did), and go straight to a silo not yet tried in this round.
                Interlocked.CompareExchange(ref _endpoint, (index + 1) % endpoints.Count, index);
                if (++triedSinceDelay < endpoints.Count)
                {
                    continue;
                }
            }

            triedSinceDelay = 0;
            await Task.Delay(RetryDelay(attempt, retryAfter), cancellationToken);
        }
    }

    /// <summary>One attempt: the response, or the failure that left no response (and whether repeating it is safe).</summary>
    private readonly record struct Attempt(HttpResponseMessage? Response, Exception? Failure);

    private async Task<Attempt> SendOnceAsync(HttpRequestMessage request, bool safe, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.Timeout);
        try
        {
            return new Attempt(await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The server may still have done it: only a call safe to repeat is repeated (the failure says so).
            var timeout = new TimeoutException($"{request.Method} {request.RequestUri} did not answer within {_options.Timeout.TotalSeconds:0.#} s.");
            return safe ? new Attempt(null, timeout) : throw timeout;
        }
        catch (HttpRequestException e) when (safe || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            // Unreachable: a connection that was never made carried no request, so any call may go to another silo.
            return new Attempt(null, new HelaMemApiException($"Cannot reach HelaMem at {Origin(request.RequestUri)}: {e.Message}", e));
        }
        catch (HttpRequestException e)
        {
            throw new HelaMemApiException($"Cannot reach HelaMem at {Origin(request.RequestUri)}: {e.Message}", e);
        }
    }

    private static string Origin(Uri? uri) => uri is null ? "(no address)" : uri.GetLeftPart(UriPartial.Authority) + "/";

    private TimeSpan RetryDelay(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        var delay = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : _options.RetryBaseDelay * Math.Pow(2, attempt));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private static async Task<HelaMemApiException> ToExceptionAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? detail = null;
        string? title = null;
        string? type = null;
        string? quota = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                detail = Text(root, "detail");
                title = Text(root, "title");
                type = Text(root, "type");
                quota = Text(root, "quota");
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, an empty body): fall back to the status line.
        }

        var status = (int)response.StatusCode;
        var reason = detail ?? title ?? (string.IsNullOrWhiteSpace(text) ? response.ReasonPhrase : text.Trim());
        var message = string.Create(CultureInfo.InvariantCulture, $"{method} /{path} failed with {status}: {OneLine(reason)}");
        return new HelaMemApiException(response.StatusCode, message, type, quota, response.Headers.RetryAfter?.Delta)
        {
            Title = title,
            Detail = detail is null ? null : OneLine(detail),
        };
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OneLine(string? text) =>
        string.Join(' ', (text ?? "").Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
