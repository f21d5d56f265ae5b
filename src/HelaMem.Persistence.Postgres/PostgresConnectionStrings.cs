using Npgsql;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Parses connection strings and describes them for messages without the password: every failure names the
/// setting <see cref="PostgresStorageOptions.ConnectionStringSetting"/>, the server, database and user, never the secret.
/// </summary>
internal static class PostgresConnectionStrings
{
    public static NpgsqlConnectionStringBuilder Parse(string connectionString, string providerName)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The driver's messages name the keyword ("Keyword not supported: 'hots'", "Couldn't set port"), not values.
            throw new OrleansConfigurationException(
                $"{PostgresStorageOptions.ConnectionStringSetting} of the PostgreSQL provider '{providerName}' is not a valid Npgsql connection string: {OneLine(error.Message)}");
        }
    }

    /// <summary>"host:port, database 'x', user 'y'": what a connection attempt aimed at.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host ?? "localhost"}:{builder.Port}, database '{builder.Database ?? builder.Username ?? "(default)"}', user '{builder.Username ?? "(default)"}'";

    /// <summary>A message on one line with the password (if any) masked, for logs and exceptions.</summary>
    public static string Redact(string message, NpgsqlConnectionStringBuilder builder)
    {
        var oneLine = OneLine(message);
        return string.IsNullOrEmpty(builder.Password) ? oneLine : oneLine.Replace(builder.Password, "***", StringComparison.Ordinal);
    }

    public static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
