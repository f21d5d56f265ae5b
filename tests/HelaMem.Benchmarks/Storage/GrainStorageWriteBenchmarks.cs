using BenchmarkDotNet.Attributes;
using HelaMem.Persistence.Memory;
using HelaMem.Persistence.Sqlite;
using HelaMem.Runtime.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace HelaMem.Benchmarks.Storage;

/// <summary>
/// Grain-state write throughput: one key written sequentially (every write waits for its own commit, the worst
/// case for group commit) against many keys written concurrently (what a spreading wave's node updates look
/// like, where group commit coalesces them). Each benchmark reports the time per write, so writes/s = 1 / mean.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainStorageWrite*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class GrainStorageWriteBenchmarks
{
    private const int SequentialWrites = 200;
    private const int ConcurrentKeys = 2000;

    private readonly byte[] _payload = new byte[512];
    private string _directory = "";
    private IGrainStorage _storage = null!;
    private GrainStateKey[] _keys = [];
    private string?[] _eTags = [];
    private string? _singleETag;

    /// <summary>The provider and, for SQLite, its synchronous level.</summary>
    [Params("sqlite-full", "sqlite-normal", "memory")]
    public string Provider { get; set; } = "sqlite-full";

    // Synchronous setup and cleanup: BenchmarkDotNet's in-process toolchain does not await an async GlobalSetup.
    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_payload);
        _directory = Path.Combine(Path.GetTempPath(), "helamem-storage-benchmark-data", Guid.NewGuid().ToString("N"));
        _storage = Provider switch
        {
            "memory" => new InMemoryGrainStorage(),
            "sqlite-full" => Sqlite(SqliteSynchronousMode.Full),
            "sqlite-normal" => Sqlite(SqliteSynchronousMode.Normal),
            _ => throw new ArgumentOutOfRangeException(nameof(Provider), Provider, "unknown provider"),
        };

        _keys = [.. Enumerable.Range(0, ConcurrentKeys).Select(i => new GrainStateKey("memory-node", $"tenant/user/{i}", "state"))];
        _eTags = Task.WhenAll(_keys.Select(key => _storage.WriteAsync(key, _payload, null))).GetAwaiter().GetResult();
        _singleETag = _storage.WriteAsync(new GrainStateKey("memory-node", "tenant/user/single", "state"), _payload, null).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_storage is SqliteGrainStorage sqlite)
        {
            // Lands in the benchmark log: how many writes each transaction carried.
            Console.WriteLine($"// group commit ({Provider}): {sqlite.Statistics}, average {sqlite.Statistics.AverageBatch:F1} writes per transaction");
        }

        if (_storage is IAsyncDisposable disposable)
        {
            disposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>One grain writing its state again and again: each write waits for its own transaction.</summary>
    [Benchmark(OperationsPerInvoke = SequentialWrites)]
    public async Task SingleKeySequential()
    {
        var key = new GrainStateKey("memory-node", "tenant/user/single", "state");
        for (var i = 0; i < SequentialWrites; i++)
        {
            _singleETag = await _storage.WriteAsync(key, _payload, _singleETag);
        }
    }

    /// <summary>Many grains writing at once (conditional updates with their current ETags), as group commit sees them.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentKeys)]
    public async Task ManyKeysConcurrent()
    {
        var writes = new Task<string>[ConcurrentKeys];
        for (var i = 0; i < ConcurrentKeys; i++)
        {
            writes[i] = _storage.WriteAsync(_keys[i], _payload, _eTags[i]);
        }

        var eTags = await Task.WhenAll(writes);
        eTags.CopyTo(_eTags, 0);
    }

    /// <summary>Reads of existing records, checksum verified; SQLite reads complete inline, so this is the cost of one read.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentKeys)]
    public async Task ReadExisting()
    {
        var reads = new Task<StoredGrainState?>[ConcurrentKeys];
        for (var i = 0; i < ConcurrentKeys; i++)
        {
            reads[i] = _storage.ReadAsync(_keys[i]);
        }

        await Task.WhenAll(reads);
    }

    private SqliteGrainStorage Sqlite(SqliteSynchronousMode synchronous) =>
        new(new SqliteStorageOptions { DataDirectory = _directory, Synchronous = synchronous }, NullLogger<SqliteGrainStorage>.Instance);
}
