using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HelaMem.TestSupport.Azurite;

/// <summary>
/// A real Azure Storage emulator (Azurite from npm, blob and table services) for the tests of one test assembly:
/// installed once into the repository's git-ignored <c>.cache/azurite</c> with <c>npm install --prefix</c>, started on
/// loopback ports chosen here with its data in a temp directory, and killed when the test process ends. Compiled into
/// each test assembly that needs it (tests/Shared is linked, not referenced), so each assembly runs its own.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>The npm package and version the tests run (../shared/docs/dependencies.md).</summary>
    public const string Package = "azurite@3.37.0";

    /// <summary>Azurite's well-known development account (public: it is the emulator's fixed account, not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The well-known key of <see cref="AccountName"/>.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim StartGate = new(1, 1);
    private static AzuriteServer? _shared;

    private readonly StringBuilder _output = new();
    private readonly string _executable;
    private readonly string _location;
    private readonly int _queuePort;
    private Process _process = null!;

    private AzuriteServer(string executable, string location, int blobPort, int tablePort, int queuePort)
    {
        _executable = executable;
        _location = location;
        BlobPort = blobPort;
        TablePort = tablePort;
        _queuePort = queuePort;
    }

    /// <summary>The blob service's port on 127.0.0.1.</summary>
    public int BlobPort { get; }

    /// <summary>The table service's port on 127.0.0.1.</summary>
    public int TablePort { get; }

    /// <summary>The blob service endpoint of the development account.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>The table service endpoint of the development account.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    /// <summary>A connection string for the development account on this server.</summary>
    public string ConnectionString => ConnectionStringWithKey(AccountKey);

    /// <summary>A connection string for this server with another account key (Azurite refuses it: HTTP 403).</summary>
    public string ConnectionStringWithKey(string accountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={accountKey};BlobEndpoint={BlobEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>What Azurite printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The test process's server: installed and started by the first caller, killed when the process exits.</summary>
    public static async Task<AzuriteServer> SharedAsync()
    {
        await StartGate.WaitAsync();
        try
        {
            if (_shared is { _process.HasExited: false })
            {
                return _shared;
            }

            _shared = await StartAsync();
            var server = _shared;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();
            return server;
        }
        finally
        {
            StartGate.Release();
        }
    }

    /// <summary>Starts a server of its own (the caller disposes it).</summary>
    public static async Task<AzuriteServer> StartAsync()
    {
        var executable = await EnsureInstalledAsync();
        var location = Path.Combine(Path.GetTempPath(), "helamem-azurite", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(location);
        var server = new AzuriteServer(executable, location, LoopbackPort(), LoopbackPort(), LoopbackPort());
        try
        {
            await server.LaunchAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes the server away as an outage would, keeping its data for <see cref="RestartAsync"/>. Azurite is asked to
    /// stop (SIGTERM), since it saves its metadata on exit and a killed emulator may forget the last writes, which a
    /// real storage account never does.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await signal.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                StopProcess();
            }
        }
    }

    /// <summary>Starts the stopped server again on the same ports and data, and waits until it answers.</summary>
    public Task RestartAsync() => LaunchAsync();

    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(),
            "--location", _location, "--disableTelemetry", "--skipApiVersionCheck", "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_executable}.");
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_output, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilAnsweringAsync();
    }

    /// <summary>Kills the server and deletes its data.</summary>
    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void Kill()
    {
        StopProcess();

        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private void StopProcess()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode} before it answered:\n{Output}");
            }

            if (await AnswersAsync(http, BlobEndpoint) && await AnswersAsync(http, TableEndpoint))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Azurite did not answer on ports {BlobPort} (blob) and {TablePort} (table) within {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    // Any HTTP answer (Azurite says 400 or 403 to an unsigned GET) means the service is up.
    private static async Task<bool> AnswersAsync(HttpClient http, Uri endpoint)
    {
        try
        {
            using var response = await http.GetAsync(endpoint);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The azurite launcher in the repository's cache, installed with npm when missing. npm missing fails the test
    /// with what to install: the Azure tests are part of the suite and never skipped.
    /// </summary>
    private static async Task<string> EnsureInstalledAsync()
    {
        var prefix = Path.Combine(RepositoryRoot(), ".cache", "azurite");
        var executable = Path.Combine(prefix, "node_modules", ".bin", "azurite");
        var installedManifest = Path.Combine(prefix, "node_modules", "azurite", "package.json");
        Directory.CreateDirectory(prefix);

        // Test assemblies run in parallel processes: one installs, the others wait on the lock file.
        await using var installLock = await LockAsync(Path.Combine(prefix, "install.lock"));
        if (File.Exists(executable) && InstalledVersion(installedManifest) == Package.Split('@')[1])
        {
            return executable;
        }

        var npm = FindOnPath("npm") ?? throw new InvalidOperationException(
            $"The Azure Storage tests need Node.js and npm to install {Package} (Debian: apt-get install nodejs npm); npm was not found on PATH.");
        var install = new ProcessStartInfo(npm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "install", "--prefix", prefix, "--no-audit", "--no-fund", "--no-save", Package })
        {
            install.ArgumentList.Add(argument);
        }

        using var process = Process.Start(install) ?? throw new InvalidOperationException($"Could not start {npm}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm install {Package} took longer than {InstallTimeout.TotalMinutes} minutes.");
        }

        if (process.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"npm install --prefix {prefix} {Package} failed (exit code {process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        return executable;
    }

    private static string? InstalledVersion(string manifest)
    {
        if (!File.Exists(manifest))
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (deadline.Elapsed < InstallTimeout)
            {
                await Task.Delay(250);
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HelaMem.Orleans.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No HelaMem.Orleans.sln above {AppContext.BaseDirectory}.");
    }

    private static readonly Lock PortGate = new();
    private static int _nextPort = 65_000 - Random.Shared.Next(4_000);

    // Above Linux's ephemeral range (32768-60999), so an outgoing connection never takes the port between the check
    // and Azurite's bind, and apart from the silo tests' ports (20000-32000); a random start keeps concurrent test
    // runs apart; each candidate is checked by binding it.
    private static int LoopbackPort()
    {
        lock (PortGate)
        {
            for (var attempt = 0; attempt < 10_000; attempt++)
            {
                var port = _nextPort--;
                if (_nextPort < 61_000)
                {
                    _nextPort = 65_000;
                }

                try
                {
                    using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                    return port;
                }
                catch (SocketException)
                {
                    // Taken: try the next.
                }
            }
        }

        throw new InvalidOperationException("No free loopback port for Azurite.");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
