namespace HelaMem.Runtime.Storage;

/// <summary>A state record as a provider returns it: the serialized payload and its current ETag.</summary>
/// <param name="Payload">The serialized state (the runtime owns the serialization format).</param>
/// <param name="ETag">Opaque version tag; a write must present it to succeed.</param>
/// <param name="UpdatedAt">When the record was last written.</param>
public sealed record StoredGrainState(ReadOnlyMemory<byte> Payload, string ETag, DateTimeOffset UpdatedAt);
