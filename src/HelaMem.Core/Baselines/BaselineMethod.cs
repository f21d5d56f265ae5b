namespace HelaMem.Core.Baselines;

/// <summary>The retrieval baselines HeLa-Mem is compared against, on the same nodes.</summary>
public enum BaselineMethod
{
    /// <summary>BM25 over the nodes' content tokens.</summary>
    Bm25,

    /// <summary>Cosine similarity of the sentence vectors only.</summary>
    Dense,

    /// <summary>0.5·(cos + 1)/2 + 0.5·bm25/max(bm25).</summary>
    Hybrid,
}
