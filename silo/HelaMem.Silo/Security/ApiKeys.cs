using System.Security.Cryptography;
using System.Text;

namespace HelaMem.Silo.Security;

/// <summary>
/// API keys: <c>hm.{tenant}.{keyId}.{secret}</c>. The tenant in the key tells the server which tenant record to check
/// (no global key index needed); only the SHA-256 of the 256-bit secret is stored, so a leaked database holds no
/// usable key, and a high-entropy secret needs no slow hash.
/// </summary>
public static class ApiKeys
{
    private const string Prefix = "hm.";

    /// <summary>A new key for <paramref name="tenant"/>: its id, the full key (shown once) and the hash to store.</summary>
    public static (string KeyId, string ApiKey, string Hash) Create(string tenant)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return (keyId, $"{Prefix}{tenant}.{keyId}.{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key; false when it does not have the key format.</summary>
    public static bool TryParse(string? presented, out string tenant, out string keyId, out string secret)
    {
        tenant = keyId = secret = "";
        if (presented is null || presented.Length > 512 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // The tenant may contain '.', the key id and secret never do: split from the right.
        var lastDot = presented.LastIndexOf('.');
        var idDot = lastDot > Prefix.Length ? presented.LastIndexOf('.', lastDot - 1) : -1;
        if (idDot <= Prefix.Length)
        {
            return false;
        }

        tenant = presented[Prefix.Length..idDot];
        keyId = presented[(idDot + 1)..lastDot];
        secret = presented[(lastDot + 1)..];
        return tenant.Length > 0 && keyId.Length > 0 && secret.Length > 0;
    }

    /// <summary>SHA-256 of a secret, lowercase hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two secrets in time independent of where they differ (hashes first, so lengths do not leak).</summary>
    public static bool SecretsEqual(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>A new random operator key.</summary>
    public static string NewOperatorKey() => "hmop." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
