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

    [Fact]
    public void An_empty_graph_has_no_embedder_yet_and_so_no_mismatch()
    {
        var empty = new GraphState();
        Assert.Null(GraphEmbedder.Recorded(empty, MiniLm));
        Assert.Null(GraphEmbedder.Mismatch(empty, new HashingEmbedder()));
    }

    [Fact]
    public void A_recorded_embedder_is_compared_by_name_and_dimension()
    {
        var graph = new GraphState { NodeCount = 3, Embedder = "hashing-100d", EmbedderDimensions = 100 };
        Assert.Null(GraphEmbedder.Mismatch(graph, new HashingEmbedder()));
        Assert.Equal("hashing-100d", GraphEmbedder.Mismatch(graph, MiniLm));
        Assert.Equal("hashing-100d", GraphEmbedder.Mismatch(graph, new HashingEmbedder(64)));
    }

    [Fact]
    public void State_from_before_the_record_is_on_the_silos_embedder_when_that_is_GloVe_or_its_fallback_else_on_GloVe()
    {
        var legacy = new GraphState { NodeCount = 3 };
        Assert.Equal(("hashing-100d", 100), GraphEmbedder.Recorded(legacy, new HashingEmbedder()));
        Assert.Null(GraphEmbedder.Mismatch(legacy, new HashingEmbedder()));
        Assert.Null(GraphEmbedder.Mismatch(legacy, new Named("glove-sif-100d", 100)));
        Assert.Equal(("glove-sif-100d", 100), GraphEmbedder.Recorded(legacy, MiniLm));
        Assert.Equal("glove-sif-100d", GraphEmbedder.Mismatch(legacy, MiniLm));
    }
}
