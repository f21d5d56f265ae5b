using System.Globalization;
using System.Net;
using HelaMem.Silo.Tests.EndToEnd;

namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// infra/compose/compose.yaml checked without a Docker engine: three silos built from the container definition, each
/// advertising its own fixed address on the compose network, on PostgreSQL (default) or Azurite, with settings the silo
/// reads and storage addresses that name the compose services.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string ComposePath = Path.Combine(RepositoryPaths.Root, "infra", "compose", "compose.yaml");

    private static Dictionary<object, object?> Compose() => Assert.Single(YamlDocuments.Load(ComposePath));

    private static List<(string Name, Dictionary<object, object?> Service)> Silos() =>
        Compose().Map("services").Where(kv => ((string)kv.Key).StartsWith("silo-", StringComparison.Ordinal))
            .Select(kv => ((string)kv.Key, (Dictionary<object, object?>)kv.Value!)).ToList();

    [Fact]
    public void Three_silos_built_from_the_container_definition_each_advertise_their_own_network_address()
    {
        var silos = Silos();
        Assert.Equal(3, silos.Count);
        var subnet = Assert.Single(Compose().Maps("networks.cluster.ipam.config")).Text("subnet");
        var prefix = subnet[..subnet.LastIndexOf('.')];
        var addresses = new HashSet<string>();
        foreach (var (name, service) in silos)
        {
            var address = service.Text("networks.cluster.ipv4_address");
            Assert.StartsWith(prefix + ".", address, StringComparison.Ordinal);
            Assert.True(IPAddress.TryParse(address, out _), address);
            Assert.Equal(address, service.Text("environment.HelaMem__Cluster__AdvertisedAddress"));
            Assert.Equal(name, service.Text("environment.HelaMem__Cluster__SiloName"));
            Assert.True(addresses.Add(address), $"{address} twice");

            var dockerfile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ComposePath)!, service.Text("build.context"), service.Text("build.dockerfile")));
            Assert.Equal(Path.Combine(RepositoryPaths.Root, "infra", "container", "Dockerfile"), dockerfile);
            Assert.Equal("helamem-compose", service.Text("environment.HelaMem__Cluster__ClusterId"));
        }
    }

    [Fact]
    public void Each_silo_publishes_the_port_the_image_listens_on_and_checks_readiness()
    {
        var runtime = DockerfileInstructions.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "infra", "container", "Dockerfile")));
        var urls = runtime.Last(i => i.Keyword == "ENV" && i.Arguments.Contains("ASPNETCORE_URLS=", StringComparison.Ordinal)).Arguments;
        var imagePort = new Uri(urls.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(a => a.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))["ASPNETCORE_URLS=".Length..]).Port;
        var hostPorts = new HashSet<string>();
        foreach (var (_, service) in Silos())
        {
            var mapping = Assert.Single(service.Texts("ports")).Split(':');
            Assert.Equal("127.0.0.1", mapping[0]);
            Assert.True(hostPorts.Add(mapping[1]));
            Assert.Equal(imagePort.ToString(CultureInfo.InvariantCulture), mapping[2]);
            var check = string.Join(' ', service.Texts("healthcheck.test"));
            Assert.Contains($"/dev/tcp/127.0.0.1/{imagePort}", check, StringComparison.Ordinal);
            Assert.Contains("GET /health/ready", check, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Storage_settings_name_the_compose_services_and_every_setting_is_one_the_silo_reads()
    {
        var compose = Compose();
        var postgres = compose.Map("services.postgres");
        Assert.StartsWith("postgres:15", postgres.Text("image"), StringComparison.Ordinal);
        var azurite = compose.Map("services.azurite");
        Assert.Contains("--disableTelemetry", azurite.Texts("command"));

        foreach (var (_, service) in Silos())
        {
            var environment = service.Map("environment");
            Assert.Empty(environment.Keys.Cast<string>().Select(SiloSettingNames.Problem).OfType<string>());
            Assert.Equal("${HELAMEM_PROFILE:-postgres}", environment["HelaMem__Cluster__Profile"]);
            Assert.Contains("Host=postgres;", (string)environment["HelaMem__Postgres__ConnectionString"]!, StringComparison.Ordinal);
            Assert.Contains($"Database={postgres.Text("environment.POSTGRES_DB")};", (string)environment["HelaMem__Postgres__ConnectionString"]!, StringComparison.Ordinal);
            var azure = (string)environment["HelaMem__Azure__ConnectionString"]!;
            Assert.Contains("BlobEndpoint=http://azurite:10000/", azure, StringComparison.Ordinal);
            Assert.Contains("TableEndpoint=http://azurite:10002/", azure, StringComparison.Ordinal);
            Assert.Contains("postgres", service.Map("depends_on").Keys.Cast<string>());
        }
    }
}
