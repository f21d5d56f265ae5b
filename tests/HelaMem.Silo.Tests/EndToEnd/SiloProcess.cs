using System.Diagnostics;
using System.Text;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>The real silo process on a loopback port over a data directory.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromMinutes(2);

    // The last line of the startup banner (Hosting/StartupBanner.cs): the first-tenant hint's curl line on a silo
    // without tenants, the tenant count otherwise.
    private static readonly System.Text.RegularExpressions.Regex BannerEnd = new(@"# or: curl -X POST|^  tenants: +\d+", System.Text.RegularExpressions.RegexOptions.Multiline);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(Process process, Uri url, int siloPort)
    {
        _process = process;
        Url = url;
        SiloPort = siloPort;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Where it listens.</summary>
    public Uri Url { get; }

    /// <summary>Its Orleans silo port (loopback), its own among the silos of the test run.</summary>
    public int SiloPort { get; }

    /// <summary>What it printed so far.</summary>
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

    /// <summary>
    /// Starts the silo (with <paramref name="extraEnvironment"/> added) on its own HTTP and silo ports and waits until
    /// /health/ready answers 200 and the startup banner is printed.
    /// </summary>
    public static Task<SiloProcess> StartAsync(string dataDirectory, string operatorKey, IReadOnlyDictionary<string, string>? extraEnvironment = null) =>
        StartAsync(dataDirectory, operatorKey, extraEnvironment, urls => [RepositoryPaths.SiloDll, "--urls", urls]);

    /// <summary>
    /// Starts the silo as the README does, <c>dotnet run --project silo/HelaMem.Silo</c> (without building: the tests
    /// run on the build output), so that the project's launch settings, if any, apply.
    /// </summary>
    public static Task<SiloProcess> StartWithDotnetRunAsync(string dataDirectory, string operatorKey) =>
        StartAsync(dataDirectory, operatorKey, null, urls =>
            ["run", "--project", Path.Combine(RepositoryPaths.Root, "silo", "HelaMem.Silo"), "-c", RepositoryPaths.Configuration, "--no-build", "--", "--urls", urls]);

    private static async Task<SiloProcess> StartAsync(string dataDirectory, string operatorKey, IReadOnlyDictionary<string, string>? extraEnvironment, Func<string, string[]> dotnetArguments)
    {
        var url = new Uri($"http://127.0.0.1:{ProcessRunner.FreePort()}");
        var siloPort = ProcessRunner.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["HELAMEM_DATA_DIR"] = dataDirectory,
            ["HELAMEM_OPERATOR_KEY"] = operatorKey,
            ["HelaMem__Cluster__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // GloVe-SIF (the hashing fallback without a cache) rather than the default MiniLM: fast and light; tests
            // that need MiniLM say so in extraEnvironment.
            ["HelaMem__Embedder"] = "glove-sif",
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var process = ProcessRunner.StartDotnet(dotnetArguments(url.ToString().TrimEnd('/')), environment, dataDirectory);
        var silo = new SiloProcess(process, url, siloPort);
        try
        {
            await silo.WaitReadyAsync();
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a silo that is expected to refuse to start: waits for it to exit (killing it after <paramref name="timeout"/>)
    /// and returns its exit code (null when it had to be killed), what it printed to stderr, and how long it ran.
    /// </summary>
    public static async Task<(int? ExitCode, string Errors, string Output, TimeSpan Elapsed)> RunUntilExitAsync(
        string dataDirectory, string operatorKey, IReadOnlyDictionary<string, string> extraEnvironment, TimeSpan timeout)
    {
        var environment = new Dictionary<string, string>
        {
            ["HELAMEM_DATA_DIR"] = dataDirectory,
            ["HELAMEM_OPERATOR_KEY"] = operatorKey,
            ["HelaMem__Cluster__SiloPort"] = ProcessRunner.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HelaMem__Embedder"] = "glove-sif",
        };
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = ProcessRunner.StartDotnet([RepositoryPaths.SiloDll, "--urls", $"http://127.0.0.1:{ProcessRunner.FreePort()}"], environment, dataDirectory);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (null, await errors, await output, stopwatch.Elapsed);
        }

        return (process.ExitCode, await errors, await output, stopwatch.Elapsed);
    }

    /// <summary>Stops the silo as an orchestrator does (SIGTERM: graceful shutdown, it leaves the cluster) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        await SignalAsync("-TERM");

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        ExitedAt ??= DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// Freezes the process (SIGSTOP): it keeps its sockets open but answers nothing, as a host that drops off the
    /// network or a process starved of CPU does; <see cref="ThawAsync"/> lets it run again.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen process run again (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    /// <summary>Whether the process exits by itself within <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            ExitedAt ??= DateTimeOffset.UtcNow;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Kills the process (no graceful shutdown), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        ExitedAt ??= DateTimeOffset.UtcNow;
    }

    /// <summary>When the process was seen to have exited after <see cref="KillAsync"/> or <see cref="StopAsync"/> (UTC), or null.</summary>
    public DateTimeOffset? ExitedAt { get; private set; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Url };
        using var deadline = new CancellationTokenSource(StartDeadline);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                // Ready, and the banner printed (the host prints it once every hosted service started, which can be
                // just after the silo reports ready).
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), deadline.Token);
                if (response.IsSuccessStatusCode && BannerEnd.IsMatch(Output))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The silo did not become ready within {StartDeadline}:\n{Output}");
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
