using HelaMem.Client;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>
/// Real silo processes on loopback ports forming one Orleans cluster on a shared storage backend (the environment
/// names the profile and its connection), each with its own data directory. A silo can be killed (SIGKILL), stopped
/// (SIGTERM) and started again on its ports.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    public const string OperatorKey = "e2e-operator-key-cluster-0123456789";

    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly SiloProcess?[] _silos;
    private readonly TempDirectory[] _data;
    private readonly List<SiloTranscript> _exited = [];

    private SiloCluster(IReadOnlyDictionary<string, string> environment, int size)
    {
        _environment = environment;
        _silos = new SiloProcess?[size];
        _data = [.. Enumerable.Range(0, size).Select(i => new TempDirectory($"helamem-cluster-{i}"))];
    }

    /// <summary>
    /// Every silo process of this cluster so far, with what it printed and when it ended (null while it runs): the ones
    /// replaced by <see cref="RestartAsync"/> and the running ones.
    /// </summary>
    public IReadOnlyList<SiloTranscript> Processes() =>
        [.. _exited, .. _silos.Where(s => s is not null).Select(s => new SiloTranscript(s!.Output, s.ExitedAt))];

    /// <summary>Every silo's API address, in order (a stopped silo's too: clients must cope with it).</summary>
    public IReadOnlyList<Uri> Urls { get; private set; } = [];

    public SiloProcess this[int index] => _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");

    /// <summary>Starts <paramref name="size"/> silos one after another (the first creates the storage's tables or schema).</summary>
    public static async Task<SiloCluster> StartAsync(IReadOnlyDictionary<string, string> environment, int size = 3)
    {
        var cluster = new SiloCluster(environment, size);
        try
        {
            for (var i = 0; i < size; i++)
            {
                cluster._silos[i] = await SiloProcess.StartAsync(cluster._data[i].Path, OperatorKey, environment);
            }

            cluster.Urls = [.. cluster._silos.Select(s => s!.Url)];
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client over every silo (it moves on when one stops answering).</summary>
    public HelaMemClient Client(string? apiKey = null, int maxRetries = 3, TimeSpan? timeout = null) => new(new HelaMemClientOptions
    {
        BaseAddresses = [.. Urls],
        ApiKey = apiKey,
        OperatorKey = OperatorKey,
        MaxRetries = maxRetries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        Timeout = timeout ?? TimeSpan.FromSeconds(15),
    });

    /// <summary>A client of one silo only, with no retries (to see what that silo answers).</summary>
    public HelaMemClient DirectClient(int index, string? apiKey = null, TimeSpan? timeout = null) => new(new HelaMemClientOptions
    {
        BaseAddress = Urls[index],
        ApiKey = apiKey,
        OperatorKey = OperatorKey,
        MaxRetries = 0,
        Timeout = timeout ?? TimeSpan.FromSeconds(15),
    });

    public async Task KillAsync(int index)
    {
        await this[index].KillAsync();
    }

    public async Task StopAsync(int index, TimeSpan timeout)
    {
        await this[index].StopAsync(timeout);
    }

    /// <summary>Starts silo <paramref name="index"/> again (a new process on new ports, its old data directory).</summary>
    public async Task RestartAsync(int index)
    {
        if (_silos[index] is { } old)
        {
            await old.DisposeAsync();
            _exited.Add(new SiloTranscript(old.Output, old.ExitedAt ?? DateTimeOffset.UtcNow));
        }

        _silos[index] = await SiloProcess.StartAsync(_data[index].Path, OperatorKey, _environment);
        Urls = [.. _silos.Select(s => s!.Url)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            if (silo is not null)
            {
                await silo.DisposeAsync();
            }
        }

        foreach (var data in _data)
        {
            data.Dispose();
        }
    }
}

/// <summary>What one silo process printed, and when it ended (null while it runs).</summary>
internal sealed record SiloTranscript(string Output, DateTimeOffset? EndedAt);
