using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HelaMem.Tests.Servers;

/// <summary>
/// A throwaway PostgreSQL 15 server for tests: <c>initdb</c> into a temp directory, started with <c>pg_ctl -w</c> on
/// a free loopback port with password (SCRAM) authentication over TCP, one database created, and at the end stopped
/// and deleted. When the tests run as root the server runs as the <c>postgres</c> user (<c>runuser -u postgres --</c>),
/// which owns the directory, since PostgreSQL refuses to run as root.
/// </summary>
/// <remarks>
/// Plain .NET with no test-framework types, so other test projects can link this file (and start silos on it).
/// Missing binaries are an error naming the Debian package, never a skipped test.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>The Debian package that installs the server binaries.</summary>
    public const string AptPackage = "postgresql";

    /// <summary>The superuser's password (test servers only listen on loopback).</summary>
    public const string Password = "helamem-test-password";

    private const string User = "postgres";
    private static readonly string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string _binDirectory;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresServer(string binDirectory, string root, int port, bool asPostgresUser)
    {
        _binDirectory = binDirectory;
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The data directory.</summary>
    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>True while the server runs (between <see cref="StartAsync"/>/<see cref="RestartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning { get; private set; }

    /// <summary>
    /// Creates, starts and returns a server with an empty database named <paramref name="database"/>.
    /// The binaries are looked for in <c>HELAMEM_POSTGRES_BIN</c>, else <c>/usr/lib/postgresql/15/bin</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The binaries are missing (the message names the apt package) or the server did not start.</exception>
    public static async Task<PostgresServer> StartAsync(string database = "helamem_tests")
    {
        var binDirectory = Environment.GetEnvironmentVariable("HELAMEM_POSTGRES_BIN") is { Length: > 0 } configured ? configured : DefaultBinDirectory;
        foreach (var tool in new[] { "initdb", "pg_ctl", "postgres" })
        {
            if (!File.Exists(Path.Combine(binDirectory, tool)))
            {
                throw new InvalidOperationException(
                    $"The PostgreSQL 15 server binary '{tool}' is not in {binDirectory}. These tests start their own PostgreSQL server: install it with " +
                    $"'apt-get install -y {AptPackage}' (Debian package {AptPackage}, which brings postgresql-15), or set HELAMEM_POSTGRES_BIN to a PostgreSQL 15 bin directory.");
            }
        }

        var asPostgresUser = Environment.UserName == "root";
        var root = Directory.CreateTempSubdirectory("helamem-pg-").FullName;
        var server = new PostgresServer(binDirectory, root, FreeLoopbackPort(), asPostgresUser);
        try
        {
            await server.InitializeAsync();
            await server.RestartAsync();
            await server.CreateDatabaseAsync(database);
            server.Database = database;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database the tests use.</summary>
    public string Database { get; private set; } = "postgres";

    /// <summary>A connection string to <see cref="Database"/> (or <paramref name="database"/>) as the superuser, over TCP with the password.</summary>
    public string ConnectionString(string? database = null, string password = Password, int maxPoolSize = 20) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database ?? Database,
        Username = User,
        Password = password,
        MaxPoolSize = maxPoolSize,
        Timeout = 5,
    }.ConnectionString;

    /// <summary>Starts the (stopped) server again on the same port and data directory and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        // fsync=off: a test server never has to survive an operating-system crash, and commits then cost no disk
        // flush on a shared machine. A stop and start of the server (the outage test) still keeps every commit.
        // max_connections: every provider has its own pool, and test classes create many providers.
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -c listen_addresses=127.0.0.1 -k {SocketDirectory} -c max_connections=300 -c fsync=off");
        await RunAsync("pg_ctl", "start", "-w", "-t", "60", "-D", DataDirectory, "-l", Path.Combine(_root, "server.log"), "-o", options);
        IsRunning = true;
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>: open sessions are disconnected, committed data is kept).</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        await RunAsync("pg_ctl", "stop", "-w", "-m", "fast", "-D", DataDirectory);
        IsRunning = false;
    }

    /// <summary>Stops the server and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is not worth failing a test run for.
            }
        }
    }

    private string SocketDirectory => _root;

    private async Task InitializeAsync()
    {
        var passwordFile = Path.Combine(_root, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (_asPostgresUser)
        {
            await RunProcessAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        await RunAsync("initdb", "-D", DataDirectory, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
    }

    /// <summary>Creates another empty database on the server (e.g. to watch migrations run on a fresh one).</summary>
    public async Task CreateDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres", maxPoolSize: 1) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\";", connection);
        await command.ExecuteNonQueryAsync();
    }

    private Task RunAsync(string tool, params string[] arguments)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return _asPostgresUser
            ? RunProcessAsync("runuser", ["-u", "postgres", "--", executable, .. arguments])
            : RunProcessAsync(executable, arguments);
    }

    private async Task RunProcessAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_root, "server.log");
            var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}\n{serverLog}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
