namespace HelaMem.Core.Memory;

/// <summary>A memory to encode.</summary>
/// <param name="Content">The text.</param>
/// <param name="Speaker">Who said it.</param>
/// <param name="Timestamp">When.</param>
/// <param name="Thread">The conversation it belongs to: consecutive memories of one thread are linked by a temporal edge.</param>
public sealed record NewMemory(string Content, string Speaker, DateTimeOffset Timestamp, string Thread = "default");
