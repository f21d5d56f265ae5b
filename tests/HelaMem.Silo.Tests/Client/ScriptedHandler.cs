using System.Net;

namespace HelaMem.Silo.Tests.Client;

/// <summary>An HTTP handler that answers from a script and records the requests (for client tests without a server).</summary>
public sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] responses) : HttpMessageHandler
{
    private int _next;

    /// <summary>The requests, in order, with their bodies read.</summary>
    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    /// <summary>A response with a JSON body.</summary>
    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, status >= HttpStatusCode.BadRequest ? "application/problem+json" : "application/json") };

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        var index = Math.Min(_next++, responses.Length - 1);
        return responses[index](request);
    }
}
