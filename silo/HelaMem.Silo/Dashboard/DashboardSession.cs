using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HelaMem.Silo.Hosting;

namespace HelaMem.Silo.Dashboard;

/// <summary>
/// The dashboard's sign-in cookie: its expiry and an HMAC-SHA256 of it under a key derived (HKDF) from the operator
/// key. Any silo with the same operator key accepts it, so a browser behind a load balancer stays signed in on every
/// silo of the cluster without a shared key ring; changing the operator key signs every browser out. The cookie is
/// HttpOnly, SameSite=Strict and limited to <c>/dashboard</c>, so it never authenticates the <c>/v1</c> API.
/// </summary>
internal sealed class DashboardSession
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "helamem_dashboard";

    /// <summary>The path the cookie is sent to.</summary>
    public const string CookiePath = "/dashboard";

    private readonly byte[] _macKey;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public DashboardSession(OperatorKey operatorKey, ServiceOptions options, TimeProvider clock)
    {
        _macKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(operatorKey.Value), 32, info: Encoding.ASCII.GetBytes("helamem dashboard session v1"));
        _lifetime = TimeSpan.FromHours(options.Dashboard.SessionHours);
        _clock = clock;
    }

    /// <summary>Sets a new session cookie on the response.</summary>
    public void SignIn(HttpContext context)
    {
        var expires = _clock.GetUtcNow() + _lifetime;
        var payload = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Cookies.Append(CookieName, payload + "." + Mac(payload), Options(context, expires));
    }

    /// <summary>Removes the session cookie.</summary>
    public static void SignOut(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context, expires: null));

    /// <summary>Whether the request carries a valid, unexpired session cookie.</summary>
    public bool IsSignedIn(HttpRequest request)
    {
        if (!request.Cookies.TryGetValue(CookieName, out var cookie) || cookie is null)
        {
            return false;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(cookie.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(cookie[..dot]));
        var presented = Encoding.ASCII.GetBytes(cookie[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, presented) && _clock.GetUtcNow().ToUnixTimeSeconds() < expires;
    }

    private string Mac(string payload) => Base64Url(HMACSHA256.HashData(_macKey, Encoding.ASCII.GetBytes(payload)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,
        Expires = expires,
        IsEssential = true,
    };
}
