using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Grains;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// Metadata lives in the memory node (written with it) and topK limits the items and the context; memories ingested
/// by earlier versions, whose metadata is only in the annotation grain, keep it.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class MetadataStorageTests(SiloFactory silo)
{
    [Fact]
    public async Task Metadata_role_and_conversation_are_stored_in_the_node_not_in_the_annotation_grain()
    {
        var (tenant, key, http) = await silo.CreateTenantAsync("meta");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("alice", Samples.Conversation());

        var grains = silo.Grains;
        var node = await grains.GetGrain<IMemoryNodeGrain>($"{tenant}/alice/2").Read(0);
        Assert.Equal("D1:3", node!.Metadata!["dia_id"]);
        Assert.Equal(("user", "conv-1"), (node.Role, node.Conversation));
        Assert.Null(Assert.Single(await grains.GetGrain<IMemoryAnnotationGrain>($"{tenant}/alice").Lookup([2])));

        var memory = await client.GetMemoryAsync("alice", 2);
        Assert.Equal("D1:3", memory.Metadata["dia_id"]);
        Assert.Equal(("user", "conv-1"), (memory.Role, memory.ConversationId));
        var found = await client.SearchAsync("alice", new SearchRequest("sister Lisbon architect"));
        var item = Assert.Single(found.Items, i => i.Id == 2);
        Assert.Equal("D1:3", item.Metadata["dia_id"]);
        Assert.Equal(("user", "conv-1"), (item.Role, item.ConversationId));
    }

    [Fact]
    public async Task Memories_ingested_before_node_metadata_keep_their_annotation_metadata()
    {
        var (tenant, key, http) = await silo.CreateTenantAsync("oldmeta");
        http.Dispose();

        // What an earlier silo wrote: the node without metadata, the metadata in the annotation grain.
        var grains = silo.Grains;
        var at = new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);
        var receipt = await grains.GetGrain<IUserGraphGrain>($"{tenant}/bob").Ingest(
        [
            new IngestMessage("Bob: I adopted a puppy named Biscuit.", "Bob", at, "old-conv"),
            new IngestMessage("Alice: Biscuit is a lovely name for a puppy.", "Alice", at.AddMinutes(1), "old-conv"),
        ]);
        await grains.GetGrain<IMemoryAnnotationGrain>($"{tenant}/bob").Put(
        [
            new MemoryAnnotation(receipt.NodeIds[0], "user", "old-conv", new Dictionary<string, string> { ["dia_id"] = "D1:2" }),
            new MemoryAnnotation(receipt.NodeIds[1], "assistant", "old-conv", new Dictionary<string, string> { ["dia_id"] = "D1:3" }),
        ]);

        using var client = silo.TypedClient(key);
        var memory = await client.GetMemoryAsync("bob", receipt.NodeIds[0]);
        Assert.Equal("D1:2", memory.Metadata["dia_id"]);
        Assert.Equal("old-conv", memory.ConversationId);
        var page = await client.ListMemoriesAsync("bob");
        Assert.Equal(["D1:2", "D1:3"], page.Items.Select(i => i.Metadata["dia_id"]));
        var found = await client.SearchAsync("bob", new SearchRequest("What is the puppy called?"));
        Assert.All(found.Items, i => Assert.StartsWith("D1:", i.Metadata["dia_id"], StringComparison.Ordinal));

        // New memories of the same user carry their metadata in the node; both kinds read alike.
        await client.IngestAsync("bob", new IngestRequest([new MessageInput("Bob: Biscuit learned to sit.", "Bob", Metadata: new Dictionary<string, string> { ["dia_id"] = "D2:1" })]));
        Assert.Equal(["D1:2", "D1:3", "D2:1"], (await client.ListMemoriesAsync("bob")).Items.Select(i => i.Metadata["dia_id"]));
    }

    [Fact]
    public async Task TopK_limits_the_items_and_the_assembled_context()
    {
        var (_, key, http) = await silo.CreateTenantAsync("topk");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("carol", Samples.Conversation());

        var all = await client.SearchAsync("carol", new SearchRequest("Rex the puppy and Lisbon", IncludeSemantic: false));
        var one = await client.SearchAsync("carol", new SearchRequest("Rex the puppy and Lisbon", TopK: 1, IncludeSemantic: false));
        Assert.True(all.Items.Count > 1);
        var item = Assert.Single(one.Items);
        Assert.Contains(item.Content, one.Context, StringComparison.Ordinal);
        Assert.True(one.ContextTokens < all.ContextTokens, $"context of 1 item: {one.ContextTokens} words; of {all.Items.Count}: {all.ContextTokens}");
        foreach (var other in all.Items.Where(i => i.Id != item.Id))
        {
            Assert.DoesNotContain(other.Content, one.Context, StringComparison.Ordinal);
        }
    }
}
