using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Where and how the SQLite providers keep their database. Grain storage and the reminder table may share one
/// file (the default), and so may several silos in one process or on one machine: each provider has its own
/// connections, and SQLite's locks (with <see cref="BusyTimeout"/>) serialize their transactions.
/// </summary>
public sealed class SqliteStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The directory holding the database; created when missing. Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The database's file name inside <see cref="DataDirectory"/> (a name, not a path).</summary>
    public string FileName { get; set; } = "helamem.db";

    /// <summary>The durability of an acknowledged write; see <see cref="SqliteSynchronousMode"/>.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most writes and clears the group-commit writer puts into one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long the writer lingers for more writes before committing a batch that is not full. Zero (the default)
    /// adds no latency: writes that arrive while a commit is in flight form the next batch by themselves.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How many writes may wait for the writer; further writers wait for room (back-pressure).</summary>
    public int MaxPendingWrites { get; set; } = 16_384;

    /// <summary>
    /// The largest payload a write may carry. Larger writes are refused before they are queued: SQLite would fail
    /// the whole group-commit transaction on an oversized value (its own ceiling is 1 000 000 000 bytes).
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024 * 1024;

    /// <summary>How many connections serve concurrent reads (WAL lets readers run beside the writer).</summary>
    public int ReadConnections { get; set; } = 4;

    /// <summary>
    /// How grain state becomes bytes. Defaults to <see cref="HelaMemJsonGrainStorageSerializer"/>, the format
    /// the previous release wrote; replacing it makes existing data unreadable unless the new serializer reads that
    /// format too. Not used by the reminder table.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = new HelaMemJsonGrainStorageSerializer();

    /// <summary>
    /// The silo lifecycle stage at which grain storage opens its database (and, in reverse, drains and closes it).
    /// The default, <see cref="ServiceLifecycleStage.ApplicationServices"/>, opens before grains can activate and
    /// closes after the silo has deactivated them, so their last writes are committed.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("SqliteStorageOptions.DataDirectory is required: the directory that holds the database.", nameof(DataDirectory));
        }

        if (string.IsNullOrWhiteSpace(FileName) || FileName != Path.GetFileName(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"SqliteStorageOptions.FileName must be a plain file name, got '{FileName}'.", nameof(FileName));
        }

        if (GrainStorageSerializer is null)
        {
            throw new ArgumentException("SqliteStorageOptions.GrainStorageSerializer must not be null.", nameof(GrainStorageSerializer));
        }

        if (!Enum.IsDefined(Synchronous))
        {
            throw new ArgumentException($"SqliteStorageOptions.Synchronous has the unknown value {(int)Synchronous}.", nameof(Synchronous));
        }

        RequireRange(BusyTimeout > TimeSpan.Zero && BusyTimeout <= TimeSpan.FromMinutes(10), nameof(BusyTimeout), BusyTimeout, "between zero (exclusive) and 10 minutes");
        RequireRange(MaxBatchSize is >= 1 and <= 100_000, nameof(MaxBatchSize), MaxBatchSize, "between 1 and 100000");
        RequireRange(MaxBatchDelay >= TimeSpan.Zero && MaxBatchDelay <= TimeSpan.FromSeconds(10), nameof(MaxBatchDelay), MaxBatchDelay, "between zero and 10 seconds");
        RequireRange(MaxPendingWrites >= 1, nameof(MaxPendingWrites), MaxPendingWrites, "at least 1");
        RequireRange(MaxPayloadBytes is >= 1 and <= 1_000_000_000, nameof(MaxPayloadBytes), MaxPayloadBytes, "between 1 and 1000000000");
        RequireRange(ReadConnections is >= 1 and <= 64, nameof(ReadConnections), ReadConnections, "between 1 and 64");
    }

    private static void RequireRange(bool valid, string setting, object value, string range)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(setting, value, $"SqliteStorageOptions.{setting} must be {range}.");
        }
    }
}
