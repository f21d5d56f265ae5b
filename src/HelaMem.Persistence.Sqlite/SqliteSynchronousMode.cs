namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> setting in WAL mode: how far a commit is pushed towards the disk before
/// the write is acknowledged.
/// </summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The WAL is fsynced at every commit: an acknowledged write survives a process crash (kill -9) and also an
    /// operating-system crash or power loss. The default; group commit pays one fsync per batch, not per write.
    /// </summary>
    Full,

    /// <summary>
    /// The WAL is written (to the OS page cache) at every commit but fsynced only at checkpoints: an acknowledged
    /// write survives a process crash (kill -9), but the last commits may roll back after an OS crash or power loss.
    /// </summary>
    Normal,
}
