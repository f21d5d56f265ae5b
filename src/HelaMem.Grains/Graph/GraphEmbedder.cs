using HelaMem.Grains.State;

namespace HelaMem.Grains.Graph;

/// <summary>Which embedder a graph's vectors belong to, and whether the silo's embedder can work with them.</summary>
internal static class GraphEmbedder
{
    /// <summary>The GloVe-SIF embedder's name, the silo's only embedder before graphs recorded theirs.</summary>
    public const string LegacyGlove = "glove-sif-100d";

    /// <summary>The hashing fallback's name (taken when the GloVe cache was missing).</summary>
    public const string LegacyHashing = "hashing-100d";

    /// <summary>
    /// The embedder a graph was built with, or null for an empty graph (it adopts the silo's at its first ingest).
    /// State written before graphs recorded it holds 100-d vectors of GloVe-SIF or of its hashing fallback, which the
    /// state cannot tell apart: such a graph is taken to be on the silo's embedder when that is one of those two (the
    /// silo ran the same way before the upgrade), and on GloVe-SIF otherwise (the default of every earlier release).
    /// </summary>
    public static (string Name, int Dimensions)? Recorded(GraphState graph, string siloName, int siloDimensions)
    {
        if (graph.Embedder is { } name)
        {
            return (name, graph.EmbedderDimensions);
        }

        if (graph.NodeCount == 0)
        {
            return null;
        }

        return siloName is LegacyGlove or LegacyHashing ? (siloName, siloDimensions) : (LegacyGlove, 100);
    }

    /// <summary>The recorded embedder when it differs from the silo's (for the graph's tenant), else null.</summary>
    public static string? Mismatch(GraphState graph, string siloName, int siloDimensions) =>
        Recorded(graph, siloName, siloDimensions) is { } recorded && (recorded.Name != siloName || recorded.Dimensions != siloDimensions)
            ? recorded.Name
            : null;
}
