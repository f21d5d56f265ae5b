using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;
using HelaMem.TestSupport.Azurite;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The real silo process on the azure profile against Azurite: a tenant, an ingest and a search survive a restart on
/// an empty data directory (so the state can only have come from the storage account), and the start refusals of a
/// wrong profile or storage setting: exit code 2, one line naming the setting, long before a membership timeout.
/// </summary>
public sealed class AzureProfileEndToEndTests
{
    private const string OperatorKey = "e2e-operator-key-azure-0123456789";

    // Orleans' membership would retry its table for minutes; a refusal must come from the start-up check instead.
    private static readonly TimeSpan RefusalDeadline = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task A_silo_on_azure_storage_keeps_tenants_and_memories_across_a_restart_on_a_fresh_data_directory()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var environment = AzureEnvironment(azurite.ConnectionString);
        string apiKey;
        List<long> before;
        using (var firstData = new TempDirectory("helamem-e2e-azure"))
        {
            await using var silo = await SiloProcess.StartAsync(firstData.Path, OperatorKey, environment);
            var names = Hosting.AzureStorageNames.For(environment["HelaMem__Cluster__ServiceId"]);
            Assert.Contains($"  storage:        azure (tables {names.MembershipTable}, {names.RemindersTable}; blob container {names.GrainContainer};", silo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(azurite.ConnectionString, silo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(AzuriteServer.AccountKey, silo.Output, StringComparison.Ordinal);

            using var operatorClient = Client(silo, operatorKey: OperatorKey);
            Assert.Equal("azure", (await operatorClient.GetClusterStatsAsync()).DeploymentProfile);
            apiKey = (await operatorClient.CreateTenantAsync(new CreateTenantRequest("azure-tenant"))).ApiKey;
            using var client = Client(silo, apiKey: apiKey);
            var ingest = await client.IngestAsync("caroline", new IngestRequest(
            [
                new MessageInput("Caroline went to the LGBTQ support group on 7 May 2023."),
                new MessageInput("Melanie painted a sunrise over the lake last year."),
                new MessageInput("Caroline is researching adoption agencies."),
            ]));
            Assert.Equal(3, ingest.NodeIds.Count);
            before = [.. (await client.SearchAsync("caroline", new SearchRequest("When did Caroline go to the support group?"))).Items.Select(i => i.Id)];
            Assert.Contains(ingest.NodeIds[0], before);

            // Gracefully: the silo leaves the cluster (its membership row says Dead), as a rolling restart does.
            await silo.StopAsync(TimeSpan.FromSeconds(60));
        }

        using var secondData = new TempDirectory("helamem-e2e-azure");
        await using var restarted = await SiloProcess.StartAsync(secondData.Path, OperatorKey, environment);
        Assert.Contains("  tenants:        1 (helamem tenants list)", restarted.Output, StringComparison.Ordinal);
        using var restartedClient = Client(restarted, apiKey: apiKey);
        var after = (await restartedClient.SearchAsync("caroline", new SearchRequest("When did Caroline go to the support group?"))).Items.Select(i => i.Id).ToList();
        Assert.Equal(before, after);
        Assert.Equal(3, (await restartedClient.ListMemoriesAsync("caroline")).Items.Count);
        Assert.False(File.Exists(Path.Combine(secondData.Path, "helamem.db")), "the azure profile must not keep grain state in SQLite");
    }

    [Fact]
    public async Task Two_silo_processes_on_one_storage_account_form_one_cluster_and_serve_the_same_memories()
    {
        var azurite = await AzuriteServer.SharedAsync();
        var environment = AzureEnvironment(azurite.ConnectionString);
        using var dataA = new TempDirectory("helamem-e2e-azure-a");
        using var dataB = new TempDirectory("helamem-e2e-azure-b");
        await using var siloA = await SiloProcess.StartAsync(dataA.Path, OperatorKey, environment);
        await using var siloB = await SiloProcess.StartAsync(dataB.Path, OperatorKey, environment);

        // Both are Active rows of the cluster in the membership table, named after the machine and their silo port.
        var membership = new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString)
            .GetTableClient(Hosting.AzureStorageNames.For(environment["HelaMem__Cluster__ServiceId"]).MembershipTable);
        var active = await SiloRowsAsync(membership, environment["HelaMem__Cluster__ClusterId"], "Active");
        Assert.Equal(
            new[] { siloA.SiloPort, siloB.SiloPort }.Select(port => $"{Environment.MachineName}-{port}").Order(StringComparer.Ordinal),
            active.Order(StringComparer.Ordinal));

        // Written through one silo, read through the other: one cluster, one copy of each grain.
        using var operatorClient = Client(siloA, operatorKey: OperatorKey);
        var apiKey = (await operatorClient.CreateTenantAsync(new CreateTenantRequest("two-silos"))).ApiKey;
        using var clientA = Client(siloA, apiKey: apiKey);
        using var clientB = Client(siloB, apiKey: apiKey);
        var ingest = await clientA.IngestAsync("melanie", new IngestRequest([new MessageInput("Melanie ran a charity race for mental health on 20 May 2023.")]));
        var search = await clientB.SearchAsync("melanie", new SearchRequest("What race did Melanie run?"));
        Assert.Contains(ingest.NodeIds[0], search.Items.Select(i => i.Id));

        // A silo that stops gracefully leaves the cluster: its row says Dead, and the other silo keeps serving.
        await siloB.StopAsync(TimeSpan.FromSeconds(60));
        Assert.Contains($"{Environment.MachineName}-{siloB.SiloPort}", await SiloRowsAsync(membership, environment["HelaMem__Cluster__ClusterId"], "Dead"));
        Assert.Contains(ingest.NodeIds[0], (await clientA.SearchAsync("melanie", new SearchRequest("What race did Melanie run?"))).Items.Select(i => i.Id));
    }

    // The silo names of the cluster's rows with the status (Orleans' Azure membership: one partition per cluster id).
    private static async Task<List<string>> SiloRowsAsync(Azure.Data.Tables.TableClient membership, string clusterId, string status)
    {
        var names = new List<string>();
        await foreach (var row in membership.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == clusterId))
        {
            if (row.GetString("Status") == status)
            {
                names.Add(row.GetString("SiloName"));
            }
        }

        return names;
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "unknown profile", "Profile=cloud", "error: HelaMem:Cluster:Profile (HelaMem__Cluster__Profile) is 'cloud'" },
        { "postgres without settings", "Profile=postgres", "error: HelaMem:Postgres:ConnectionString (HelaMem__Postgres__ConnectionString) is required" },
        { "azure without settings", "Profile=azure", "error: HelaMem:Azure:ConnectionString (HelaMem__Azure__ConnectionString) is not set" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_profile_setting_stops_the_silo_process_with_one_line_naming_it(string why, string profileSetting, string expected)
    {
        using var data = new TempDirectory("helamem-e2e-azure-refusal");
        var profile = profileSetting.Split('=')[1];

        var (exitCode, errors, _, elapsed) = await SiloProcess.RunUntilExitAsync(
            data.Path, OperatorKey, new Dictionary<string, string> { ["HelaMem__Cluster__Profile"] = profile }, RefusalDeadline);

        AssertRefused(why, exitCode, errors, elapsed, expected);
    }

    [Fact]
    public async Task A_wrong_account_key_stops_the_silo_naming_the_connection_string_without_printing_it()
    {
        var azurite = await AzuriteServer.SharedAsync();
        const string wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleS13cm9uZw==";
        using var data = new TempDirectory("helamem-e2e-azure-refusal");

        var (exitCode, errors, output, elapsed) = await SiloProcess.RunUntilExitAsync(
            data.Path, OperatorKey, AzureEnvironment(azurite.ConnectionStringWithKey(wrongKey)), RefusalDeadline);

        AssertRefused("wrong key", exitCode, errors, elapsed, "error: HelaMem:Azure:ConnectionString: the table endpoint " + azurite.TableEndpoint.ToString().TrimEnd('/') + " refused the credentials (HTTP 403");
        Assert.DoesNotContain(wrongKey, errors + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_storage_endpoint_stops_the_silo_naming_the_setting()
    {
        // A loopback port nothing listens on: the connection is refused at once.
        var closedPort = FreePorts.Next();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.AccountName};AccountKey={AzuriteServer.AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{closedPort}/{AzuriteServer.AccountName};TableEndpoint=http://127.0.0.1:{closedPort}/{AzuriteServer.AccountName};";
        using var data = new TempDirectory("helamem-e2e-azure-refusal");

        var (exitCode, errors, output, elapsed) = await SiloProcess.RunUntilExitAsync(data.Path, OperatorKey, AzureEnvironment(connectionString), RefusalDeadline);

        AssertRefused("unreachable", exitCode, errors, elapsed, $"error: HelaMem:Azure:ConnectionString: the table endpoint http://127.0.0.1:{closedPort}/{AzuriteServer.AccountName} could not be reached");
        Assert.DoesNotContain(AzuriteServer.AccountKey, errors + output, StringComparison.Ordinal);
    }

    private static void AssertRefused(string why, int? exitCode, string errors, TimeSpan elapsed, string expected)
    {
        Assert.True(exitCode == 2, $"{why}: exit code {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"} after {elapsed}:\n{errors}");
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.True(elapsed < RefusalDeadline, $"{why}: the refusal took {elapsed}");
    }

    // A service id of its own per test: the tests share the assembly's Azurite, and the names derive from the id.
    private static Dictionary<string, string> AzureEnvironment(string connectionString) => new()
    {
        ["HelaMem__Cluster__Profile"] = "azure",
        ["HelaMem__Azure__ConnectionString"] = connectionString,
        ["HelaMem__Cluster__ServiceId"] = $"e2e{Guid.NewGuid():N}"[..20],
        ["HelaMem__Cluster__ClusterId"] = "e2e",
    };

    private static HelaMemClient Client(SiloProcess silo, string? apiKey = null, string? operatorKey = null) => new(new HelaMemClientOptions
    {
        BaseAddress = silo.Url,
        ApiKey = apiKey,
        OperatorKey = operatorKey,
    });
}
