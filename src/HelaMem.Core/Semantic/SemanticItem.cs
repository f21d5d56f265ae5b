namespace HelaMem.Core.Semantic;

/// <summary>One distilled item with the episodic nodes it was derived from (a hard delete of all of them deletes it).</summary>
/// <param name="Kind">Profile, fact or agent knowledge.</param>
/// <param name="Text">The item.</param>
/// <param name="Sources">Indices of the nodes it came from.</param>
public sealed record SemanticItem(SemanticKind Kind, string Text, IReadOnlyList<int> Sources);
