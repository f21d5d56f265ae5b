using BenchmarkDotNet.Attributes;
using HelaMem.Persistence.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;

namespace HelaMem.Benchmarks.Storage;

/// <summary>
/// Grain-state write throughput of the SQLite provider through Orleans' <c>IGrainStorage</c> (System.Text.Json
/// state, as grains store it): one grain written sequentially (every write waits for its own commit, the worst case
/// for group commit) against many grains written concurrently (what a spreading wave's node updates look like,
/// where group commit coalesces them). Each benchmark reports the time per write, so writes/s = 1 / mean.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainStorageWrite*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class GrainStorageWriteBenchmarks
{
    private const int SequentialWrites = 200;
    private const int ConcurrentGrains = 2000;
    private const string StateName = "state";

    private string _directory = "";
    private SqliteGrainStorage _storage = null!;
    private GrainId[] _grains = [];
    private GrainState<NodeState>[] _states = [];
    private GrainState<NodeState> _single = null!;
    private readonly GrainId _singleGrain = GrainId.Create("memory-node", "tenant/user/single");

    /// <summary>The state written: about 512 bytes of JSON.</summary>
    public sealed class NodeState
    {
        public string Content { get; set; } = "";

        public int Step { get; set; }
    }

    /// <summary>SQLite's synchronous level.</summary>
    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    // Synchronous setup and cleanup: BenchmarkDotNet's in-process toolchain does not await an async GlobalSetup.
    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "helamem-storage-benchmark-data", Guid.NewGuid().ToString("N"));
        var activators = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();
        _storage = new SqliteGrainStorage("benchmark", new SqliteStorageOptions { DataDirectory = _directory, Synchronous = Synchronous }, activators, NullLogger<SqliteGrainStorage>.Instance);
        _storage.StartAsync().GetAwaiter().GetResult();

        var content = new string('x', 480);
        _grains = [.. Enumerable.Range(0, ConcurrentGrains).Select(i => GrainId.Create("memory-node", $"tenant/user/{i}"))];
        _states = [.. _grains.Select(_ => new GrainState<NodeState>(new NodeState { Content = content }))];
        Task.WhenAll(_grains.Select((grain, i) => _storage.WriteStateAsync(StateName, grain, _states[i]))).GetAwaiter().GetResult();
        _single = new GrainState<NodeState>(new NodeState { Content = content });
        _storage.WriteStateAsync(StateName, _singleGrain, _single).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Lands in the benchmark log: how many writes each transaction carried.
        Console.WriteLine($"// group commit ({Synchronous}): {_storage.Statistics}, average {_storage.Statistics.AverageBatch:F1} writes per transaction");
        _storage.StopAsync().GetAwaiter().GetResult();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>One grain writing its state again and again: each write waits for its own transaction.</summary>
    [Benchmark(OperationsPerInvoke = SequentialWrites)]
    public async Task SingleGrainSequential()
    {
        for (var i = 0; i < SequentialWrites; i++)
        {
            _single.State!.Step++;
            await _storage.WriteStateAsync(StateName, _singleGrain, _single);
        }
    }

    /// <summary>Many grains writing at once (conditional updates with their current ETags), as group commit sees them.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentGrains)]
    public async Task ManyGrainsConcurrent()
    {
        var writes = new Task[ConcurrentGrains];
        for (var i = 0; i < ConcurrentGrains; i++)
        {
            _states[i].State!.Step++;
            writes[i] = _storage.WriteStateAsync(StateName, _grains[i], _states[i]);
        }

        await Task.WhenAll(writes);
    }

    /// <summary>Reads of existing records (checksum verified, JSON deserialized); SQLite reads complete inline, so this is the cost of one read.</summary>
    [Benchmark(OperationsPerInvoke = ConcurrentGrains)]
    public async Task ReadExisting()
    {
        var reads = new Task[ConcurrentGrains];
        for (var i = 0; i < ConcurrentGrains; i++)
        {
            reads[i] = _storage.ReadStateAsync(StateName, _grains[i], new GrainState<NodeState>());
        }

        await Task.WhenAll(reads);
    }
}
