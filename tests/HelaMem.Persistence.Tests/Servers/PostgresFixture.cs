namespace HelaMem.Tests.Servers;

/// <summary>One PostgreSQL server for every test class in the <see cref="PostgresServerGroup"/> (started once per test assembly run).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server is started in InitializeAsync.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The test classes that share <see cref="PostgresFixture"/>'s server; xunit runs them one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
