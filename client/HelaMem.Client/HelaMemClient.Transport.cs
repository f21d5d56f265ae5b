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
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(method, new Uri(_options.BaseAddress, path)))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                if (idempotencyKey is not null)
                {
                    request.Headers.Add(IdempotencyHeader, idempotencyKey);
                }

                request.Content = content?.Invoke();
                response = await SendOnceAsync(request, safe && attempt < _options.MaxRetries, cancellationToken);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            var retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                || (safe && (int)response.StatusCode >= 500);
            if (!retryable || attempt >= _options.MaxRetries)
            {
                using (response)
                {
                    throw await ToExceptionAsync(response, method, path, cancellationToken);
                }
            }

            var delay = RetryDelay(attempt, response.Headers.RetryAfter);
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, bool retryTransportErrors, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.Timeout);
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && retryTransportErrors)
        {
            // A safe call that timed out (the server may still have done it): repeat it.
            return new HttpResponseMessage(HttpStatusCode.GatewayTimeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{request.Method} {request.RequestUri} did not answer within {_options.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e) when (!retryTransportErrors)
        {
            throw new HelaMemApiException($"Cannot reach HelaMem at {_options.BaseAddress}: {e.Message}", e);
        }
        catch (HttpRequestException)
        {
            // A safe call that could not reach the server: report it as unavailable so it is retried.
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

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
