using BenchmarkDotNet.Attributes;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Benchmarks.Core;
using HelaMem.Embeddings;
using HelaMem.Grains.Hosting;
using HelaMem.TestingHost;

namespace HelaMem.Benchmarks.Grains;

/// <summary>
/// One acknowledged ingest of a batch of 100 messages through the memory grains of a one-silo in-process cluster
/// on SQLite (synchronous=FULL, the default): encoding, 100 node grains created and written, the back-edge, the
/// graph's own write, all durable before the receipt. Each invocation appends to the same user, so the graph grows
/// as a real conversation does; turns/s = 100 / time per operation.
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
    private string _directory = "";
    private TestCluster? _cluster;
    private IUserGraphGrain? _graph;
    private int _next;

    /// <summary>Starts the cluster on a fresh SQLite file and ingests one batch (JIT, first activations).</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _turns = SyntheticConversation.Turns(4_096, seed: 42);
        _directory = Path.Combine(Path.GetTempPath(), "helamem-ingest-bench-" + Guid.NewGuid().ToString("N"));
        var embedder = new HashingEmbedder(100);
        _cluster = await new TestClusterBuilder()
            .AddGrainAssembly(HelaMemGrains.Assembly)
            .UseSqliteStorage(_directory)
            .ConfigureSilo(silo => silo.AddHelaMemGrains(o => o.ScheduleConsolidation = false, embedder))
            .DeployAsync();
        _graph = _cluster.GrainFactory.GetGrain<IUserGraphGrain>("bench/ingest");
        await IngestBatchAsync();
    }

    /// <summary>Stops the cluster and deletes its database.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The provider may hold the file for a moment after dispose; the temp folder is cleaned by the OS.
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
