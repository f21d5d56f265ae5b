namespace HelaMem.Core.Retrieval;

/// <summary>A node index with a score. Orders best first: higher score, then lower index (stable tie-break).</summary>
public readonly record struct ScoredIndex(int Index, float Score)
{
    /// <summary>True when <paramref name="a"/> ranks before <paramref name="b"/>.</summary>
    public static bool RanksBefore(ScoredIndex a, ScoredIndex b) =>
        a.Score > b.Score || (a.Score == b.Score && a.Index < b.Index);
}
