using System.Security.Cryptography;
using System.Text.Json;
using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Api;

/// <summary>
/// The fingerprint an idempotency key is bound to: SHA-256 of the ingest request as the client sent it, re-serialized
/// with the API's JSON rules (so whitespace and property order do not matter, but every value does).
/// </summary>
internal static class RequestHash
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Of(IngestRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Options)));
}
