using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Tests.Servers;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>The cluster scenarios on the postgres profile (a database of their own on the shared server; the outage test has a server of its own).</summary>
public sealed class PostgresClusterFailoverTests(ITestOutputHelper output) : ClusterFailoverTests(output)
{
    protected override string Backend => "postgres";

    protected override async Task<Dictionary<string, string>> ClusterEnvironmentAsync() => Ids(new Dictionary<string, string>
    {
        ["HelaMem__Cluster__Profile"] = "postgres",
        ["HelaMem__Postgres__ConnectionString"] = await SharedPostgres.NewDatabaseAsync(),
    });

    protected override async Task<(IAsyncDisposable Server, Func<Task> Stop, Func<Task> Start, Dictionary<string, string> Environment)> OwnStorageAsync()
    {
        var server = await PostgresServer.StartAsync();
        return (server, server.StopAsync, server.RestartAsync, new Dictionary<string, string>
        {
            ["HelaMem__Cluster__Profile"] = "postgres",
            ["HelaMem__Postgres__ConnectionString"] = server.ConnectionString(),
        });
    }
}
