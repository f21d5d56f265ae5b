namespace HelaMem.Cli.Evaluation;

/// <summary>How <c>eval locomo --engine server</c> reaches the server.</summary>
/// <param name="Url">The server's address.</param>
/// <param name="OperatorKey">The operator key: the evaluation creates a throw-away tenant with the run's k and m (preferred).</param>
/// <param name="ApiKey">A tenant API key, used when there is no operator key: the tenant's own k and m apply.</param>
public sealed record ServerConnection(Uri Url, string? OperatorKey, string? ApiKey)
{
    /// <summary>Whether the run creates its own tenant (an operator key is given).</summary>
    public bool CreatesTenant => OperatorKey is not null;

    /// <inheritdoc />
    public override string ToString() => $"{Url} ({(CreatesTenant ? "operator key: throw-away tenant" : "tenant API key")})";
}
