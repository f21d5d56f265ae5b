namespace HelaMem.Cli.Evaluation;

/// <summary>The retrieval methods the evaluation compares.</summary>
public enum EvalMethod
{
    /// <summary>HeLa-Mem (the core engine).</summary>
    Hela,

    /// <summary>BM25.</summary>
    Bm25,

    /// <summary>Dense-only (cosine of the sentence vectors).</summary>
    Dense,

    /// <summary>0.5·dense + 0.5·BM25.</summary>
    Hybrid,
}
