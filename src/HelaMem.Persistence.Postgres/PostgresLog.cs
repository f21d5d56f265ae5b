using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Postgres;

/// <summary>The providers' log messages (source-generated). None of them carries a connection string or password.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "PostgreSQL {Component} '{Name}' connected to {Target} (schema helamem version {SchemaVersion})")]
    public static partial void Opened(ILogger logger, string component, string name, string target, int schemaVersion);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Description}) to {Target}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description, string target);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "PostgreSQL {Component} '{Name}': {Operation} failed because {Target} is unavailable ({Reason}); idle connections were dropped")]
    public static partial void Unavailable(ILogger logger, string component, string name, string operation, string target, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Write to '{StateName}' of grain {GrainType}/{GrainKey} rejected: expected ETag {ExpectedETag}, stored {StoredETag}")]
    public static partial void WriteConflict(ILogger logger, string stateName, string grainType, string grainKey, string? expectedETag, string? storedETag);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Stored state '{StateName}' of grain {GrainType}/{GrainKey} could not be read as {StateType}")]
    public static partial void StateUnreadable(ILogger logger, Exception exception, string stateName, string grainType, string grainKey, string? stateType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "PostgreSQL grain storage '{Name}' stores state with {Serializer}")]
    public static partial void SerializerChosen(ILogger logger, string name, string serializer);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Membership {Operation} of {Silo} in cluster {ClusterId} lost the race for table version {Version}")]
    public static partial void MembershipConflict(ILogger logger, string operation, Orleans.Runtime.SiloAddress silo, string clusterId, int version);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Removed {Rows} defunct silo entries of cluster {ClusterId} older than {Before}")]
    public static partial void DefunctRemoved(ILogger logger, int rows, string clusterId, DateTimeOffset before);
}
