using HelaMem.Core.Memory;

namespace HelaMem.Core.Retrieval;

/// <summary>An episodic item of a retrieval result.</summary>
/// <param name="Node">The memory.</param>
/// <param name="BaseScore">S_base.</param>
/// <param name="Score">S, after spreading.</param>
/// <param name="Pathway">Base or flip.</param>
public sealed record RetrievedMemory(MemoryNode Node, float BaseScore, float Score, Pathway Pathway);
