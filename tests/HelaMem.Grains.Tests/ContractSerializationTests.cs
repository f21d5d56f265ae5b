using System.Text.Json;
using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HelaMem.Grains.Tests;

/// <summary>
/// Every message of the grain contracts survives Orleans' serializer (a call between silos, or from a client) and its
/// deep copier, also when its lists are the compiler's collection-expression types. Within one silo the grains of a
/// user pass them by reference; these cover a graph whose grains are split over silos during a membership change.
/// </summary>
public sealed class ContractSerializationTests(ContractSerializationTests.SiloFixture silo) : IClassFixture<ContractSerializationTests.SiloFixture>
{
    private static readonly DateTimeOffset When = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(2));

    public static TheoryData<string> Names => [.. Samples().Select(s => s.GetType().Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_contract_message_round_trips_through_Orleans_serializer_and_copier(string name)
    {
        var services = silo.Cluster.Kit.Cluster.GetSiloServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var copier = services.GetRequiredService<DeepCopier>();
        var original = Samples().Single(s => s.GetType().Name == name);

        var bytes = serializer.SerializeToArray(original);
        var read = serializer.Deserialize<object>(bytes);
        var copy = copier.Copy(original);

        Assert.IsType(original.GetType(), read);
        Assert.Equal(Json(original), Json(read));
        Assert.Equal(Json(original), Json(copy));
    }

    /// <summary>One silo whose serializer and copier every case uses.</summary>
    public sealed class SiloFixture : IAsyncLifetime
    {
        internal MemoryCluster Cluster { get; private set; } = null!;

        public async Task InitializeAsync() => Cluster = await MemoryCluster.StartAsync();

        public async Task DisposeAsync() => await Cluster.DisposeAsync();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType());

    private static IEnumerable<object> Samples()
    {
        IReadOnlyList<string> keywords = ["dog", "rex"];
        IReadOnlyList<float> embedding = [0.25f, -0.5f, 1f];
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string> { ["dia_id"] = "D1:1" };
        yield return new IngestMessage("I adopted a dog named Rex", "Alice", When, "conv", metadata);
        yield return new IngestReceipt([0L, 1L, 2L], 3);
        yield return new RetrieveRequest("what is the dog called?", When, 5);
        yield return new NodeCreation("content", "Alice", When, keywords, embedding, [.. keywords, "adopt"], [new StructuralEdge(3, 0.5f)], metadata);
        yield return new SpreadWave(7, new float[] { 0.1f, 0.9f, 0.4f, 0f }.AsMemory(0, 3), 0.4f, 6);
        yield return new PullReply(0.75f, 0.02f);
        yield return new ReembedProgress("glove-sif-100d", "minilm-l6-v2-384d", 384, 256, 0, 163, Changed: true);
        yield return new Reinforcement(12, 6, [1L, 2L, 3L], When);
        yield return new NodeData(4, "content", "Alice", When, keywords, embedding, keywords, 3, When, false,
            [new EdgeData(3, 0.52f, 0.02f, 0.5f)], 0.52f, 0.02f, 12, 6, metadata);
        yield return new RetrievalResponse(6, [new RetrievedItem(4, "content", "Alice", When, 0.8f, 0.9f, RetrievalPathway.Flip, metadata)],
            [new SemanticItemData(SemanticItemKind.Fact, "Alice adopted Rex", [4L])], [new SemanticItemData(SemanticItemKind.Profile, "likes dogs", [4L, 5L])],
            "## Memories", 2, "helamem");
        yield return new GraphStats(10, 9, 1, 6, 6);
        yield return new GraphSnapshot(6, [0L, 1L], embedding);
        yield return new DeleteReceipt("acme", "alice", 10, 2, When);
        yield return new ConsolidationReport(2, 1, 3, 0, When);
        yield return new ConsolidationStatus([4L], [2L], 3, new ConsolidationReport(2, 1, 3, 0, When), true);
        yield return new SemanticEntry(new SemanticItemData(SemanticItemKind.AgentKnowledge, "I am a travel agent", [1L]), embedding);
        yield return new SemanticSearchResult([new SemanticItemData(SemanticItemKind.Fact, "fact", [1L])], []);
        yield return new TenantSettings(MaxUsers: 5, TopK: 10, Profile: "paper", Llm: new TenantLlmOverride("https://r.openai.azure.com", "chat-a", null, "2024-10-21"));
        yield return new TenantLlmOverride(ChatModel: "llama3.2:3b");
        yield return new TenantUsage(2, 8, 4, 0);
        yield return new OwnerListPage(["alice", "agent~bot", "run~r1"], true, true);
    }
}
