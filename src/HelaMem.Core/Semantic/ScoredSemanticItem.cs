namespace HelaMem.Core.Semantic;

/// <summary>A semantic item found by a search, with its cosine to the query (why it matched).</summary>
/// <param name="Item">The item.</param>
/// <param name="Score">Cosine between the item's and the query's unit embeddings.</param>
public sealed record ScoredSemanticItem(SemanticItem Item, float Score);
