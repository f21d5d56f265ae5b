using System.Globalization;
using HelaMem.Llm;
using HelaMem.Llm.Tests.Fakes;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// Two OpenAI stand-ins for silos with a provider: the silo's own (<see cref="Silo"/>) and one the operator lists in
/// <c>HelaMem:Llm:TenantEndpoints</c> (<see cref="Listed"/>), both accepting <see cref="Key"/>. The silos made here send
/// through a client that trusts the stand-ins' certificates; otherwise they run as configured.
/// </summary>
public sealed class LlmProviders : IAsyncLifetime
{
    /// <summary>The silo's provider key (sent to both stand-ins; must never appear in a response).</summary>
    public const string Key = "sk-silo-tenant-llm-0123456789SECRET";

    private HttpClient? _trusting;

    /// <summary>The silo's provider.</summary>
    public FakeLlmServer Silo { get; private set; } = null!;

    /// <summary>The provider listed for tenants.</summary>
    public FakeLlmServer Listed { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Silo = await FakeLlmServer.StartAsync(Key, "2024-10-21");
        Listed = await FakeLlmServer.StartAsync(Key, "2024-10-21");
        _trusting = FakeLlmServer.CreateTrustingClient([Silo, Listed]);
    }

    /// <summary>
    /// A silo whose provider is <see cref="Silo"/>, with <see cref="Listed"/> allowed for tenants, over <paramref name="data"/>
    /// (or a new directory); <paramref name="extra"/> settings win over these.
    /// </summary>
    public SiloFactory CreateSilo(TempDirectory? data = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["HelaMem:Llm:Provider"] = LlmOptions.OpenAI,
            ["HelaMem:Llm:Endpoint"] = Silo.OpenAIEndpoint,
            ["HelaMem:Llm:ApiKey"] = Key,
            ["HelaMem:Llm:ChatModel"] = "silo-chat",
            ["HelaMem:Llm:EmbeddingModel"] = "silo-embed",
            ["HelaMem:Llm:MaxRetries"] = "0",
            ["HelaMem:Llm:TimeoutSeconds"] = 20.ToString(CultureInfo.InvariantCulture),
            ["HelaMem:Llm:TenantEndpoints:0"] = Listed.OpenAIEndpoint,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var trusting = _trusting!;

        // The silo's own factory, built as AddHelaMemLlm builds it, but sending through the trusting client; the later
        // registration wins, so the silo's IChatClient and ITenantLlmClients use it.
        return new SiloFactory(settings, data, services => services.AddSingleton(provider => new LlmClientFactory(
            provider.GetRequiredService<ServiceOptions>().Llm,
            provider.GetRequiredService<ILlmUsageSink>(),
            provider.GetRequiredService<ILlmTokenQuota>(),
            provider.GetRequiredService<ILoggerFactory>(),
            TimeProvider.System,
            trusting)));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _trusting?.Dispose();
        await Silo.DisposeAsync();
        await Listed.DisposeAsync();
    }
}
