using BenchmarkDotNet.Attributes;
using HelaMem.Abstractions.Contracts;
using HelaMem.Benchmarks.Core;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Embeddings;
using HelaMem.Grains.Sessions;
using HelaMem.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace HelaMem.Benchmarks.Grains;

/// <summary>
/// One full retrieval (query embedding, base scan, spreading, dual pathway, Hebbian update, context) of the same
/// graph through the core's in-memory MemoryGraph and through the memory grains on Microsoft Orleans (one in-process
/// silo of HelaMem.Testing, Orleans' in-memory storage), with the same queries in the same order, so the two engines
/// hold the same learned weights. <c>grains</c> calls the user graph through the silo's own grain factory, as the
/// HelaMem silo's HTTP API does; <c>grains-client</c> through a cluster client and the silo's gateway (the test
/// cluster's in-memory transport), as <c>helamem eval locomo --engine grains</c> and MeasureGrains do.
/// Target (issue 5): grains within 3× of the core; p50 ≤ 0.5 ms at 700 nodes.
/// Run: <c>dotnet run -c Release --project tests/HelaMem.Benchmarks -- --filter '*GrainRetrievalBenchmarks*' --job short --inProcess</c>.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class GrainRetrievalBenchmarks
{
    private static readonly DateTimeOffset Start = new(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private string[] _queries = [];
    private int _next;
    private MemoryGraph? _core;
    private HelaMemTestCluster? _cluster;
    private GrainRetrievalSession? _session;
    private DateTimeOffset _now;

    /// <summary>Nodes in the graph (700: a long LoCoMo conversation).</summary>
    [Params(700, 5_000)]
    public int Nodes { get; set; }

    /// <summary><c>core</c>, <c>grains</c> (the silo's grain factory) or <c>grains-client</c> (a cluster client).</summary>
    [Params("core", "grains", "grains-client")]
    public string Engine { get; set; } = "core";

    /// <summary>Builds the graph in the chosen engine and runs 200 warm-up retrievals (learned edges, JIT, activations).</summary>
    // Synchronous: BenchmarkDotNet's in-process toolchain does not await an async GlobalSetup (the benchmark would
    // start before the cluster exists).
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var embedder = new HashingEmbedder(100);
        var turns = SyntheticConversation.Turns(Nodes, seed: 42);
        var messages = turns.Select((text, i) => new IngestMessage(text, i % 2 == 0 ? "Alice" : "Bob", Start.AddMinutes(i), "conversation")).ToList();
        _queries = [.. SyntheticConversation.Turns(256, seed: 7)];
        _now = Start.AddMinutes(Nodes);
        if (Engine == "core")
        {
            _core = new MemoryGraph(embedder, HelaMemOptions.Default);
            foreach (var message in messages)
            {
                _core.Add(new NewMemory(message.Content, message.Speaker, message.Timestamp, message.Thread));
            }
        }
        else
        {
            _cluster = await new HelaMemTestClusterBuilder()
                .UseOrleansMemoryStorage()
                .WithoutLogFiles()
                .WithEmbedder(embedder)
                .ConfigureGrains(o => o.ScheduleConsolidation = false)
                .DeployAsync();
            _session = Engine == "grains-client"
                ? _cluster.Session("bench", "user")
                : new GrainRetrievalSession(_cluster.Cluster.GetSiloServiceProvider().GetRequiredService<IGrainFactory>(), "bench", "user");
            await _session.IngestAsync(messages, batchSize: 500);
        }

        for (var i = 0; i < 200; i++)
        {
            await RetrieveAsync();
        }
    }

    /// <summary>Stops the cluster.</summary>
    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>One retrieval.</summary>
    [Benchmark]
    public async Task<int> RetrieveAsync()
    {
        var query = _queries[_next++ % _queries.Length];
        if (_core is not null)
        {
            return _core.Retrieve(query, _now).Memories.Count;
        }

        return (await _session!.RetrieveAsync(query, _now)).Items.Count;
    }
}
