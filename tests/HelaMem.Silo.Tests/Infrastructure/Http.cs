using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HelaMem.Client;

namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>Small helpers for raw HTTP calls.</summary>
public static class Http
{
    /// <summary>A JSON body with an exact Content-Length.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A JSON body from an object (web naming).</summary>
    public static StringContent Json<T>(T value) => Json(JsonSerializer.Serialize(value, HelaMemClient.SerializerOptions));

    /// <summary>Reads a response as <typeparamref name="T"/> after checking its status.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, HelaMemClient.SerializerOptions)!;
    }

    /// <summary>Asserts a problem-details response with <paramref name="expected"/> status; returns its JSON.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), "the problem has no detail");
        return problem;
    }

    /// <summary>Posts a body with a <c>Prefer</c> header (RFC 7240).</summary>
    public static async Task<HttpResponseMessage> PostWithPreferAsync(this HttpClient http, string path, HttpContent content, string prefer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Prefer", prefer);
        return await http.SendAsync(request);
    }

    /// <summary>Posts a JSON object.</summary>
    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient http, string path, T value) =>
        http.PostAsJsonAsync(path, value, HelaMemClient.SerializerOptions);
}
