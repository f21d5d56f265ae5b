namespace HelaMem.Persistence.Sqlite;

/// <summary>One stored row of grain state as the byte-level store reads it: the payload (checksum verified), its ETag and when it was written.</summary>
internal sealed record StoredState(byte[] Payload, string ETag, DateTimeOffset UpdatedAt);
