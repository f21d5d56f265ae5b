using HelaMem.Embeddings;
using HelaMem.Grains.Graph;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Tests.Graph;

/// <summary>Which embedder a stored graph belongs to, including state written before graphs recorded it.</summary>
public sealed class GraphEmbedderTests
{
    // Stands in for the MiniLM embedder (the grains never reference its project): only the name and size matter here.
    private sealed class Named(string name, int dimensions) : HelaMem.Core.Text.ISentenceEmbedder
    {
        public string Name => name;

        public int Dimensions => dimensions;

        public void Embed(ReadOnlySpan<char> text, Span<float> destination) => destination.Clear();
    }

    private static readonly Named MiniLm = new("minilm-l6-v2-384d", 384);
    private static readonly HashingEmbedder Hashing = new();
    private static readonly HashingEmbedder Hashing64 = new(64);

    [Fact]
    public void An_empty_graph_has_no_embedder_yet_and_so_no_mismatch()
    {
        var empty = new GraphState();
        Assert.Null(GraphEmbedder.Recorded(empty, MiniLm.Name, MiniLm.Dimensions));
        Assert.Null(GraphEmbedder.Mismatch(empty, Hashing.Name, Hashing.Dimensions));
    }

    [Fact]
    public void A_recorded_embedder_is_compared_by_name_and_dimension()
    {
        var graph = new GraphState { NodeCount = 3, Embedder = "hashing-100d", EmbedderDimensions = 100 };
        Assert.Null(GraphEmbedder.Mismatch(graph, Hashing.Name, Hashing.Dimensions));
        Assert.Equal("hashing-100d", GraphEmbedder.Mismatch(graph, MiniLm.Name, MiniLm.Dimensions));
        Assert.Equal("hashing-100d", GraphEmbedder.Mismatch(graph, Hashing64.Name, Hashing64.Dimensions));
    }

    [Fact]
    public void State_from_before_the_record_is_on_the_silos_embedder_when_that_is_GloVe_or_its_fallback_else_on_GloVe()
    {
        var legacy = new GraphState { NodeCount = 3 };
        Assert.Equal(("hashing-100d", 100), GraphEmbedder.Recorded(legacy, Hashing.Name, Hashing.Dimensions));
        Assert.Null(GraphEmbedder.Mismatch(legacy, Hashing.Name, Hashing.Dimensions));
        Assert.Null(GraphEmbedder.Mismatch(legacy, "glove-sif-100d", 100));
        Assert.Equal(("glove-sif-100d", 100), GraphEmbedder.Recorded(legacy, MiniLm.Name, MiniLm.Dimensions));
        Assert.Equal("glove-sif-100d", GraphEmbedder.Mismatch(legacy, MiniLm.Name, MiniLm.Dimensions));
    }
}
