namespace HelaMem.Core.Semantic;

/// <summary>One distilled item with the episodic nodes it was derived from (a hard delete of all of them deletes it).</summary>
/// <param name="Kind">Profile, fact or agent knowledge.</param>
/// <param name="Text">The item.</param>
/// <param name="Sources">Indices of the nodes it came from.</param>
/// <param name="Subject">Whom it is about (the speaker whose statement it came from); null: not known.</param>
/// <param name="Slot">
/// The attribute it fills ("melanie|preference: painting", "caroline|relationship"; <see cref="SemanticSlots"/>): a later item with the same slot
/// replaces this one, so updates and contradictions do not pile up. Null: no slot, the item stands on its own.
/// </param>
public sealed record SemanticItem(SemanticKind Kind, string Text, IReadOnlyList<int> Sources, string? Subject = null, string? Slot = null);
