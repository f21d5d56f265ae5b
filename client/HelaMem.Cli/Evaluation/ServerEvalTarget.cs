using System.Globalization;
using System.Security.Cryptography;
using HelaMem.Client;
using HelaMem.Client.Contracts;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// The server side of <c>eval locomo --engine server</c>: with an operator key a throw-away tenant whose retrieval
/// overrides are the run's k, m and profile (so the server retrieves as the in-process engines do), else the API key's own
/// tenant; one user per conversation, named after the run so runs never collide. Disposing deletes every user the
/// run created and, for a throw-away tenant, revokes its key and disables it (the API has no tenant deletion).
/// </summary>
public sealed class ServerEvalTarget : IAsyncDisposable
{
    private readonly HelaMemClient _client;
    private readonly HelaMemClient? _operator;
    private readonly string? _keyId;
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly string _run;

    private ServerEvalTarget(HelaMemClient client, HelaMemClient? operatorClient, string tenant, string? keyId, string run, string embedder)
    {
        _client = client;
        _operator = operatorClient;
        Tenant = tenant;
        _keyId = keyId;
        _run = run;
        Embedder = embedder;
    }

    /// <summary>The tenant the run ingests into (without an operator key, as its API key names it).</summary>
    public string Tenant { get; }

    /// <summary>The server's embedder, as the cluster route names it ("unknown" without an operator key).</summary>
    public string Embedder { get; }

    /// <summary>The client with the tenant's key.</summary>
    public HelaMemClient Client => _client;

    /// <summary>
    /// The retrieval profile the server reported for the run's users (null until the first search): with an API key
    /// the tenant's, which the run cannot choose.
    /// </summary>
    public string? ObservedProfile { get; private set; }

    /// <summary>Notes the profile a search reported (the first one that names one).</summary>
    public void Observe(string? profile) => ObservedProfile ??= profile;

    /// <summary>
    /// Connects: creates the throw-away tenant (operator key) with the run's k, m and retrieval
    /// <paramref name="profile"/>, or uses the API key's tenant and its settings (a bad key fails the first ingest).
    /// </summary>
    public static async Task<ServerEvalTarget> OpenAsync(ServerConnection connection, int topK, int maxFlipped, string profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var run = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        if (connection.OperatorKey is { } operatorKey)
        {
            var ops = new HelaMemClient(Options(connection.Url, apiKey: null, operatorKey));
            try
            {
                var cluster = await ops.GetClusterStatsAsync(cancellationToken);
                var issued = await ops.CreateTenantAsync(
                    new CreateTenantRequest("eval-" + run, new TenantQuotas(), new RetrievalSettings(topK, maxFlipped, profile)), cancellationToken);
                var client = new HelaMemClient(Options(connection.Url, issued.ApiKey, null));
                return new ServerEvalTarget(client, ops, issued.Tenant, issued.KeyId, run, cluster.Embedder);
            }
            catch
            {
                ops.Dispose();
                throw;
            }
        }

        var tenantClient = new HelaMemClient(Options(connection.Url, connection.ApiKey, null));
        var tenant = connection.ApiKey!.Split('.') is [_, var name, ..] ? name : "?";
        return new ServerEvalTarget(tenantClient, null, tenant, null, run, "unknown (no operator key)");
    }

    /// <summary>The user for conversation <paramref name="conversationId"/>, remembered for the clean-up.</summary>
    public string UserFor(string conversationId)
    {
        var user = $"eval-{_run}-conv-{conversationId}";
        _users.Add(user);
        return user;
    }

    /// <summary>Deletes <paramref name="user"/> now (the run is done with it).</summary>
    public async Task DeleteUserAsync(string user, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteUserAsync(user, cancellationToken);
        }
        catch (HelaMemApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Never ingested (the run stopped before): nothing to delete.
        }

        _users.Remove(user);
    }

    /// <summary>Deletes the users the run still has; for a throw-away tenant revokes its key and disables it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var user in _users.ToList())
            {
                await DeleteUserAsync(user, CancellationToken.None);
            }

            if (_operator is not null && _keyId is not null)
            {
                await _operator.RevokeKeyAsync(Tenant, _keyId, CancellationToken.None);
                await _operator.DisableTenantAsync(Tenant, CancellationToken.None);
            }
        }
        finally
        {
            _client.Dispose();
            _operator?.Dispose();
        }
    }

    private static HelaMemClientOptions Options(Uri url, string? apiKey, string? operatorKey) => new()
    {
        BaseAddress = url,
        ApiKey = apiKey,
        OperatorKey = operatorKey,

        // An evaluation waits out rate limits rather than fail a long run.
        MaxRetries = 10,
    };
}
