using System.Globalization;
using System.Net.Http.Headers;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>
/// The real silo host (its Program: the Orleans silo with SQLite storage and reminders in a temp data directory, the
/// memory grains) behind an in-memory test server. Every factory binds its own free loopback silo port, so factories of
/// test classes running in parallel never collide. The embedder is glove-sif (not the silo's default, MiniLM) with the
/// cache pointing at an empty directory, so the hashing fallback is used: tests do not depend on the machine's GloVe
/// cache and stay fast. Settings given to the factory win (the embedder tests choose minilm or hashing).
/// </summary>
public sealed class SiloFactory : WebApplicationFactory<Program>
{
    /// <summary>The operator key the factory configures.</summary>
    public const string OperatorKey = "test-operator-key-0123456789";

    private readonly TempDirectory _data;
    private readonly bool _ownsData;
    private readonly TempDirectory _emptyCache = new("helamem-empty-cache");
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    /// <summary>Creates a factory over a new data directory.</summary>
    public SiloFactory()
        : this(new TempDirectory(), ownsData: true, new Dictionary<string, string?>())
    {
    }

    /// <summary>
    /// Creates a factory with extra settings (they win over the factory's own), over <paramref name="data"/> (owned by
    /// the caller) or a new directory; <paramref name="configureServices"/> runs after the silo registered its services.
    /// </summary>
    internal SiloFactory(IReadOnlyDictionary<string, string?> settings, TempDirectory? data = null, Action<IServiceCollection>? configureServices = null)
        : this(data ?? new TempDirectory(), ownsData: data is null, settings, configureServices)
    {
    }

    private SiloFactory(TempDirectory data, bool ownsData, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        _data = data;
        _ownsData = ownsData;
        _settings = new Dictionary<string, string?>(settings);
        _configureServices = configureServices;
        SiloPort = FreePorts.Next();
    }

    /// <summary>The data directory.</summary>
    public string DataDirectory => _data.Path;

    /// <summary>The Orleans silo port (loopback) of this factory's silo.</summary>
    public int SiloPort { get; }

    /// <summary>The silo's grain factory (calls from inside the silo's process, as the API makes them).</summary>
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The operator key the silo runs with: <see cref="OperatorKey"/> unless the settings give HELAMEM_OPERATOR_KEY.</summary>
    public string ConfiguredOperatorKey => _settings.TryGetValue("HELAMEM_OPERATOR_KEY", out var key) && key is not null ? key : OperatorKey;

    /// <summary>An HTTP client with the operator key.</summary>
    public HttpClient OperatorHttp() => WithKey(ConfiguredOperatorKey);

    /// <summary>An HTTP client that sends <paramref name="key"/> as its bearer token.</summary>
    public HttpClient WithKey(string? key)
    {
        var http = CreateClient();
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    /// <summary>A typed client (no retries, so refusals surface at once) over the test server.</summary>
    public HelaMemClient TypedClient(string? apiKey = null, int maxRetries = 0)
    {
        var http = CreateClient();
        return new HelaMemClient(http, new HelaMemClientOptions { BaseAddress = http.BaseAddress!, ApiKey = apiKey, OperatorKey = ConfiguredOperatorKey, MaxRetries = maxRetries });
    }

    /// <summary>Creates a tenant with a unique name; returns its name and an HTTP client with its key.</summary>
    public async Task<(string Tenant, string ApiKey, HttpClient Http)> CreateTenantAsync(string prefix = "t", TenantQuotas? quotas = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..20];
        using var client = TypedClient();
        var issued = await client.CreateTenantAsync(new CreateTenantRequest(name, quotas));
        return (name, issued.ApiKey, WithKey(issued.ApiKey));
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("HELAMEM_DATA_DIR", _data.Path);
        builder.UseSetting("HELAMEM_OPERATOR_KEY", OperatorKey);
        builder.UseSetting("HelaMem:Embedder", "glove-sif");
        builder.UseSetting("HelaMem:EmbeddingCacheDirectory", _emptyCache.Path);
        builder.UseSetting("HelaMem:MaxRequestBodyBytes", "262144");
        builder.UseSetting("HelaMem:Cluster:SiloPort", SiloPort.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_configureServices is not null)
        {
            builder.ConfigureTestServices(_configureServices);
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _emptyCache.Dispose();
        if (_ownsData)
        {
            _data.Dispose();
        }
    }
}
