using HelaMem.Abstractions.Contracts;
using HelaMem.Core;
using HelaMem.Core.Memory;
using HelaMem.Core.Text;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>The same conversation through the core's in-memory MemoryGraph: the reference the grain path must match.</summary>
internal sealed class CorePath
{
    private readonly MemoryGraph _graph;

    public CorePath(ISentenceEmbedder embedder, HelaMemOptions options, IEnumerable<IngestMessage> messages)
    {
        _graph = new MemoryGraph(embedder, options);
        foreach (var message in messages)
        {
            _graph.Add(new NewMemory(message.Content, message.Speaker, message.Timestamp, message.Thread));
        }
    }

    public MemoryGraph Graph => _graph;

    public (long[] Ids, float[] Scores, int Tokens) Retrieve(string question, DateTimeOffset now)
    {
        var result = _graph.Retrieve(question, now);
        return ([.. result.Memories.Select(m => (long)m.Node.Index)], [.. result.Memories.Select(m => m.Score)], result.Context.Tokens);
    }

    public void Reinforce(IReadOnlyList<long> used) => _graph.Reinforce([.. used.Select(u => (int)u)]);
}
