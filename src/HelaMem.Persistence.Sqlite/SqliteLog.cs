using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>The providers' log messages (source-generated, no allocation when the level is off).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "SQLite {Component} '{Name}' opened {DatabasePath} (schema version {SchemaVersion}, WAL, synchronous={Synchronous})")]
    public static partial void Opened(ILogger logger, string component, string name, string databasePath, int schemaVersion, SqliteSynchronousMode synchronous);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Description}) to {DatabasePath}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description, string databasePath);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A group commit of {Count} writes to {DatabasePath} failed and was rolled back; every write in it failed")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int count, string databasePath);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Write to {Key} rejected: expected ETag {ExpectedETag}, stored {StoredETag}")]
    public static partial void WriteConflict(ILogger logger, StateKey key, string? expectedETag, string? storedETag);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "SQLite {Component} '{Name}' closed {DatabasePath} after {Operations} writes in {Batches} transactions")]
    public static partial void Closed(ILogger logger, string component, string name, string databasePath, long operations, long batches);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Stored state {Key} could not be read as {StateType}")]
    public static partial void StateUnreadable(ILogger logger, Exception exception, StateKey key, string? stateType);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Filled the grain hash of {Rows} reminder rows in {DatabasePath}")]
    public static partial void ReminderHashesFilled(ILogger logger, int rows, string databasePath);
}
