namespace HelaMem.Client;

/// <summary>How a <see cref="HelaMemClient"/> reaches the API.</summary>
public sealed class HelaMemClientOptions
{
    /// <summary>The environment variable holding the API's base address.</summary>
    public const string UrlVariable = "HELAMEM_URL";

    /// <summary>The environment variable holding a tenant API key.</summary>
    public const string ApiKeyVariable = "HELAMEM_API_KEY";

    /// <summary>The environment variable holding the operator key.</summary>
    public const string OperatorKeyVariable = "HELAMEM_OPERATOR_KEY";

    /// <summary>The address used when none is configured (the silo's default listen address).</summary>
    public static readonly Uri DefaultBaseAddress = new("http://localhost:5080/");

    /// <summary>The API's base address (the silo's listen address).</summary>
    public Uri BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The addresses of several silos of one cluster (every silo serves the whole API). The client sends to one and moves
    /// to the next when it stops answering (connection refused or reset, a timeout of a call safe to repeat, 503). Empty
    /// (the default): <see cref="BaseAddress"/> alone.
    /// </summary>
    public IList<Uri> BaseAddresses { get; set; } = [];

    /// <summary>The addresses calls go to: <see cref="BaseAddresses"/>, or <see cref="BaseAddress"/> when there are none.</summary>
    public IReadOnlyList<Uri> Endpoints => BaseAddresses.Count > 0 ? [.. BaseAddresses] : [BaseAddress];

    /// <summary>A tenant API key, for the tenant routes.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The operator key, for the operator routes.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>How long one attempt may take before it counts as timed out.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>How many times a refused (429, 503) or failed (5xx on a safe request) call is retried.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Send every ingest with an Idempotency-Key of its own (a new GUID per call, unless the call names one), so the
    /// client may retry an ingest after a timeout, a lost connection or a 5xx without storing anything twice. Default true.
    /// </summary>
    public bool AutomaticIdempotencyKeys { get; set; } = true;

    /// <summary>The first retry's delay; it doubles with every retry unless the server says when to come back.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts (also caps a server's Retry-After).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Options from HELAMEM_URL, HELAMEM_API_KEY and HELAMEM_OPERATOR_KEY (as read by <paramref name="variable"/>).</summary>
    public static HelaMemClientOptions FromEnvironment(Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        var options = new HelaMemClientOptions
        {
            ApiKey = NullIfBlank(variable(ApiKeyVariable)),
            OperatorKey = NullIfBlank(variable(OperatorKeyVariable)),
        };
        var url = NullIfBlank(variable(UrlVariable));
        if (url is not null)
        {
            options.UseAddresses(ParseAddresses(url, UrlVariable));
        }

        return options;
    }

    /// <summary>
    /// One address or several, separated by commas (<c>http://silo-1:8080,http://silo-2:8080</c>), each an absolute
    /// http:// or https:// URL; <paramref name="source"/> names where they came from in the error.
    /// </summary>
    /// <exception cref="ArgumentException">An address is not an absolute http(s) URL, or there is none.</exception>
    public static IReadOnlyList<Uri> ParseAddresses(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var addresses = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"{source} '{part}' is not an absolute http:// or https:// address.");
            }

            addresses.Add(address);
        }

        return addresses.Count > 0 ? addresses : throw new ArgumentException($"{source} names no address.");
    }

    /// <summary>Sets <see cref="BaseAddress"/> to the first address and <see cref="BaseAddresses"/> to all of them when there are several.</summary>
    public void UseAddresses(IReadOnlyList<Uri> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfZero(addresses.Count, nameof(addresses));
        BaseAddress = addresses[0];
        BaseAddresses = addresses.Count > 1 ? [.. addresses] : [];
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(BaseAddress);
        ArgumentNullException.ThrowIfNull(BaseAddresses);
        foreach (var address in Endpoints)
        {
            ArgumentNullException.ThrowIfNull(address, nameof(BaseAddresses));
            if (!address.IsAbsoluteUri)
            {
                throw new ArgumentException($"The base address '{address}' must be absolute.", nameof(BaseAddress));
            }
        }

        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        if (RetryBaseDelay < TimeSpan.Zero || MaxRetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryBaseDelay), "Retry delays must not be negative.");
        }
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
