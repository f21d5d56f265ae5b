using HelaMem.Core.Semantic;

namespace HelaMem.Silo.Distillation;

/// <summary>
/// A profile slot as the LLM distiller keys it: the shared <see cref="SemanticSlots"/> format, so an update the model
/// returns under the same subject and attribute replaces the item it updates, whichever distiller wrote that item.
/// </summary>
internal static class LlmSlots
{
    /// <summary>The slot of <paramref name="subject"/>'s <paramref name="attribute"/>.</summary>
    public static string Of(string subject, string attribute) => SemanticSlots.Of(subject, attribute);

    /// <summary>The subject and attribute of a slot, or nulls.</summary>
    public static (string? Subject, string? Attribute) Split(string? slot) => SemanticSlots.Split(slot);
}
