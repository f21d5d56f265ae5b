using System.Collections.Concurrent;

namespace HelaMem.Llm.Tests.Fakes;

/// <summary>Keeps every usage report.</summary>
public sealed class RecordingUsageSink : ILlmUsageSink
{
    private readonly ConcurrentQueue<LlmUsage> _usages = new();

    public IReadOnlyList<LlmUsage> Usages => [.. _usages];

    public void Record(LlmUsage usage) => _usages.Enqueue(usage);
}
