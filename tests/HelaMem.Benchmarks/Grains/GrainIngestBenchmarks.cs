using BenchmarkDotNet.Attributes;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Benchmarks.Core;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.Persistence.Sqlite;
using HelaMem.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;

namespace HelaMem.Benchmarks.Grains;

/// <summary>
/// One acknowledged ingest of a batch of 100 messages through the memory grains on Microsoft Orleans (one in-process
/// silo of HelaMem.Testing) on SQLite with synchronous=FULL (the service's default; the test kit's NORMAL is raised
/// here): encoding, 100 node grains created and written, the back-edge, the graph's own write, all durable before the
/// receipt. Called through the silo's own grain factory, as the HelaMem silo's HTTP API does. Each invocation appends
/// to the same user, so the graph grows as a real conversation does; turns/s = 100 / time per operation.
/// Target (issue 5): ≥ 5,000 turns/s, i.e. ≤ 20 ms per batch.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainIngestBenchmarks*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainIngestBenchmarks
{
    private const int BatchSize = 100;
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string[] _turns = [];
    private HelaMemTestCluster? _cluster;
    private IUserGraphGrain? _graph;
    private int _next;

    /// <summary>Starts the cluster on a fresh SQLite file (a temporary directory) and ingests one batch (JIT, first activations).</summary>
    // Synchronous: BenchmarkDotNet's in-process toolchain does not await an async GlobalSetup (the benchmark would
    // start before the cluster exists).
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _turns = SyntheticConversation.Turns(4_096, seed: 42);
        var embedder = new HashingEmbedder(100);
        _cluster = await new HelaMemTestClusterBuilder()
            .WithoutLogFiles()
            .WithEmbedder(embedder)
            .ConfigureGrains(o => o.ScheduleConsolidation = false)
            .ConfigureSilo(silo =>
            {
                // Acknowledged = durable: an fsync per commit, as the service runs (the test kit uses NORMAL).
                silo.Services.Configure<SqliteStorageOptions>(HelaMemGrains.StorageName, o => o.Synchronous = SqliteSynchronousMode.Full);
                silo.Services.Configure<SqliteStorageOptions>(SqliteSiloBuilderExtensions.ReminderOptionsName, o => o.Synchronous = SqliteSynchronousMode.Full);
            })
            .DeployAsync();
        var silo = _cluster.Cluster.GetSiloServiceProvider();
        var synchronous = silo.GetRequiredService<IOptionsMonitor<SqliteStorageOptions>>().Get(HelaMemGrains.StorageName).Synchronous;
        if (synchronous != SqliteSynchronousMode.Full)
        {
            throw new InvalidOperationException($"The grain storage runs synchronous={synchronous}, not FULL.");
        }

        _graph = silo.GetRequiredService<IGrainFactory>().GetGrain<IUserGraphGrain>("bench/ingest");
        await IngestBatchAsync();
    }

    /// <summary>Stops the cluster; the test kit deletes its temporary database.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>One batch of 100 messages, durable when it returns.</summary>
    [Benchmark]
    public async Task<long> IngestBatchAsync()
    {
        var messages = new IngestMessage[BatchSize];
        for (var i = 0; i < BatchSize; i++)
        {
            var turn = _next++;
            messages[i] = new IngestMessage(_turns[turn % _turns.Length], turn % 2 == 0 ? "Alice" : "Bob", Start.AddMinutes(turn), "conversation");
        }

        return (await _graph!.Ingest(messages)).NodeCount;
    }
}
