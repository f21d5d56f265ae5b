using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>A small conversation to ingest.</summary>
public static class Samples
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Five messages of one conversation with dia_id metadata.</summary>
    public static IngestRequest Conversation() => new(
    [
        Message(0, "Alice", "I adopted a golden retriever puppy named Rex last spring."),
        Message(1, "Bob", "That is wonderful, how is Rex doing with the training?"),
        Message(2, "Alice", "My sister moved to Lisbon and works as an architect there."),
        Message(3, "Alice", "I am learning to play the violin on weekends."),
        Message(4, "Bob", "Lisbon has beautiful tiled buildings, your sister must love it."),
    ]);

    private static MessageInput Message(int i, string speaker, string text) =>
        new($"{speaker}: {text}", speaker, i % 2 == 0 ? "user" : "assistant", Start.AddMinutes(i), "conv-1",
            new Dictionary<string, string> { ["dia_id"] = $"D1:{i + 1}" });
}
