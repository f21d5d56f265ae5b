using HelaMem.TestSupport.Azurite;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>The cluster scenarios on the azure profile, on Azurite (the shared server; the outage test has a server of its own).</summary>
public sealed class AzureClusterFailoverTests(ITestOutputHelper output) : ClusterFailoverTests(output)
{
    protected override string Backend => "azure (Azurite)";

    protected override async Task<Dictionary<string, string>> ClusterEnvironmentAsync() => Ids(new Dictionary<string, string>
    {
        ["HelaMem__Cluster__Profile"] = "azure",
        ["HelaMem__Azure__ConnectionString"] = (await AzuriteServer.SharedAsync()).ConnectionString,
    });

    protected override async Task<(IAsyncDisposable Server, Func<Task> Stop, Func<Task> Start, Dictionary<string, string> Environment)> OwnStorageAsync()
    {
        var server = await AzuriteServer.StartAsync();
        return (server, server.StopAsync, server.RestartAsync, new Dictionary<string, string>
        {
            ["HelaMem__Cluster__Profile"] = "azure",
            ["HelaMem__Azure__ConnectionString"] = server.ConnectionString,
        });
    }
}
