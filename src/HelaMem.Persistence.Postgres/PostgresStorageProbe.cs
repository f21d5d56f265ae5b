using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Checks a PostgreSQL connection string before a silo starts: connects once and applies the schema migrations, as
/// the providers would at their lifecycle stage. A host that needs to refuse to start with one line (rather than let
/// Orleans' membership retry for minutes) calls it first.
/// </summary>
public static class PostgresStorageProbe
{
    /// <summary>Null when the server answers, accepts the credentials and has (or now has) the schema; else one line naming the setting, without the password.</summary>
    public static async Task<string?> CheckAsync(string connectionString, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var options = new PostgresStorageOptions { ConnectionString = connectionString, CommandTimeout = timeout };
        try
        {
            options.Validate("probe");
            await using var database = new PostgresDatabase("storage", "probe", options, NullLogger.Instance);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            await database.ConnectAndMigrateAsync(deadline.Token);
            return null;
        }
        catch (OrleansConfigurationException e)
        {
            return PostgresConnectionStrings.OneLine(e.Message);
        }
        catch (PostgresSchemaException e)
        {
            return $"{PostgresStorageOptions.ConnectionStringSetting}: {PostgresConnectionStrings.OneLine(e.Message)}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{PostgresStorageOptions.ConnectionStringSetting}: PostgreSQL did not answer within {timeout.TotalSeconds:0.#} s.";
        }
    }
}
