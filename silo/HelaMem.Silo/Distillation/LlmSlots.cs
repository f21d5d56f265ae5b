namespace HelaMem.Silo.Distillation;

/// <summary>
/// A profile slot as the LLM distiller keys it: "subject|attribute", both normalised (lower case, single spaces), so
/// an update the model returns under the same subject and attribute replaces the item it updates.
/// </summary>
internal static class LlmSlots
{
    /// <summary>The slot of <paramref name="subject"/>'s <paramref name="attribute"/>.</summary>
    public static string Of(string subject, string attribute) => $"{Normalise(subject)}|{Normalise(attribute)}";

    /// <summary>The subject and attribute of a slot this distiller made, or nulls.</summary>
    public static (string? Subject, string? Attribute) Split(string? slot)
    {
        var bar = slot?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        return bar <= 0 ? (null, null) : (slot![..bar], slot[(bar + 1)..]);
    }

    private static string Normalise(string value) =>
        string.Join(' ', value.Trim().ToLowerInvariant().Replace('|', '/').Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
