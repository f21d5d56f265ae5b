using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// One provider's connection pool (an <see cref="NpgsqlDataSource"/>) with the two translations every provider
/// needs: at start, a failed connection becomes one line naming <see cref="PostgresStorageOptions.ConnectionStringSetting"/>
/// (the silo refuses to start); later, a lost server becomes <see cref="PostgresUnavailableException"/> and the
/// pool's idle connections are dropped, so the next call reconnects instead of tripping over a dead socket.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _component;
    private readonly string _providerName;
    private readonly ILogger _logger;
    private readonly NpgsqlConnectionStringBuilder _settings;

    public PostgresDatabase(string component, string providerName, PostgresStorageOptions options, ILogger logger)
    {
        _component = component;
        _providerName = providerName;
        _logger = logger;
        _settings = PostgresConnectionStrings.Parse(options.ConnectionString, providerName);
        _settings.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (string.IsNullOrEmpty(_settings.ApplicationName))
        {
            _settings.ApplicationName = $"HelaMem {component} {providerName}";
        }

        Target = PostgresConnectionStrings.Describe(_settings);
        DataSource = NpgsqlDataSource.Create(_settings);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Server, database and user, without the password.</summary>
    public string Target { get; }

    /// <summary>Connects once and migrates the schema; returns its version.</summary>
    /// <exception cref="OrleansConfigurationException">The server cannot be reached or refuses the credentials (one line, naming the setting).</exception>
    /// <exception cref="PostgresSchemaException">The schema is newer than this build or damaged.</exception>
    public async Task<int> ConnectAndMigrateAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection connection;
        try
        {
            connection = await DataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException)
        {
            throw new OrleansConfigurationException(
                $"{PostgresStorageOptions.ConnectionStringSetting}: the PostgreSQL {_component} '{_providerName}' cannot connect to {Target}: {Reason(error)}.");
        }

        await using (connection)
        {
            try
            {
                var version = await SchemaMigrator.ApplyAsync(connection, Migrations.All, Target, _logger, cancellationToken);
                PostgresLog.Opened(_logger, _component, _providerName, Target, version);
                return version;
            }
            catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new OrleansConfigurationException(
                    $"{PostgresStorageOptions.ConnectionStringSetting}: the user of the PostgreSQL {_component} '{_providerName}' at {Target} may not create the schema '{Migrations.Schema}' and its tables: {Reason(error)}. " +
                    "Grant it CREATE on the database (or create the schema for it) and start again.");
            }
        }
    }

    /// <summary>True for the driver's errors that mean the server is gone or overloaded, not that the statement was wrong.</summary>
    public static bool IsUnavailable(Exception error) => error switch
    {
        // Connection exceptions (class 08), the server shutting down or starting (57P01-57P03), out of resources
        // (53) or a system/IO error (58); plus whatever else the driver deems transient.
        PostgresException postgres => postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal) || postgres.SqlState.StartsWith("58", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    /// <summary>
    /// Runs one statement (or transaction) of a provider: its duration goes to <paramref name="metrics"/> as a read or
    /// a write, and a lost server becomes <see cref="PostgresUnavailableException"/> (see <see cref="Unavailable"/>).
    /// </summary>
    public async Task<T> MeasuredAsync<T>(PostgresStorageMetrics metrics, string operation, string description, bool isWrite, Func<Task<T>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        T result;
        try
        {
            result = await call();
        }
        catch (Exception error) when (IsUnavailable(error))
        {
            metrics.Unavailable(operation);
            throw Unavailable(error, description);
        }

        if (isWrite)
        {
            metrics.Wrote(operation, started);
        }
        else
        {
            metrics.Read(operation, started);
        }

        return result;
    }

    /// <summary>
    /// The exception to throw for a call that failed with <paramref name="error"/> (an <see cref="IsUnavailable"/>
    /// error); drops the pool's idle connections, which would fail the same way after a server restart.
    /// </summary>
    public PostgresUnavailableException Unavailable(Exception error, string operation)
    {
        DataSource.Clear();
        var reason = Reason(error);
        PostgresLog.Unavailable(_logger, _component, _providerName, operation, Target, reason);
        // The driver's exception is logged above and its reason is in the message, but not attached: the exception
        // travels back to the silo that made the grain call, and Orleans has no codec for the driver's types.
        return new PostgresUnavailableException(
            $"PostgreSQL at {Target} is unavailable: {operation} failed ({reason}). A read changed nothing; a write may or may not have been applied, so read again before retrying.");
    }

    private string Reason(Exception error)
    {
        var reason = error switch
        {
            PostgresException postgres => $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})",
            NpgsqlException { InnerException: { } inner } npgsql => $"{npgsql.Message}: {inner.Message}",
            _ => error.Message,
        };
        return PostgresConnectionStrings.Redact(reason, _settings);
    }

    public async ValueTask DisposeAsync() => await DataSource.DisposeAsync();
}
