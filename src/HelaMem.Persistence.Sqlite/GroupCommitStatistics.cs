namespace HelaMem.Persistence.Sqlite;

/// <summary>How the group-commit writer has coalesced writes so far.</summary>
/// <param name="Transactions">Transactions committed.</param>
/// <param name="Operations">Writes and clears inside them (ETag conflicts included: they were checked in a transaction).</param>
/// <param name="LargestBatch">The most operations one transaction held.</param>
public readonly record struct GroupCommitStatistics(long Transactions, long Operations, int LargestBatch)
{
    /// <summary>Operations per transaction on average; 0 before the first commit.</summary>
    public double AverageBatch => Transactions == 0 ? 0 : (double)Operations / Transactions;
}
