using System.Text;

namespace HelaMem.Core.Semantic;

/// <summary>
/// The one key format of a profile slot, shared by every distiller: <c>"subject|attribute"</c>, both lower case with
/// single spaces, the attribute's kind and object joined by <c>": "</c> ("melanie|preference: painting",
/// "caroline|lives in"). Because the offline and the LLM distiller key slots alike, a silo that switches from one to
/// the other replaces the earlier distiller's item on the same attribute instead of keeping both.
/// </summary>
public static class SemanticSlots
{
    /// <summary>The slot of <paramref name="subject"/>'s <paramref name="attribute"/> ("lives in", "preference: painting").</summary>
    public static string Of(string subject, string attribute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        return $"{Words(subject.Replace('|', ' '))}|{Attribute(attribute)}";
    }

    /// <summary>
    /// The canonical form of a stored slot, whatever wrote it: slots of earlier versions ("Melanie|preference|painting",
    /// "Caroline|lives-in") read as the current format, so the store matches them with new items. Null stays null.
    /// </summary>
    public static string? Canonical(string? slot)
    {
        if (string.IsNullOrWhiteSpace(slot))
        {
            return null;
        }

        var bar = slot.IndexOf('|', StringComparison.Ordinal);
        return bar <= 0 || bar == slot.Length - 1 ? Words(slot) : $"{Words(slot[..bar])}|{Attribute(slot[(bar + 1)..])}";
    }

    /// <summary>The subject and attribute of a slot (canonical), or nulls when it has no subject.</summary>
    public static (string? Subject, string? Attribute) Split(string? slot)
    {
        var canonical = Canonical(slot);
        var bar = canonical?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        return bar <= 0 ? (null, null) : (canonical![..bar], canonical[(bar + 1)..]);
    }

    // "Preference|Painting", "preference:painting" and "preference : painting" are one attribute; so are "lives-in",
    // "lives_in" and "Lives in".
    private static string Attribute(string attribute)
    {
        var text = attribute.Replace('|', ':').Replace('-', ' ').Replace('_', ' ');
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return Words(text);
        }

        var kind = Words(text[..colon]);
        var rest = Words(text[(colon + 1)..].Replace(':', ' '));
        return kind.Length == 0 ? rest : rest.Length == 0 ? kind : $"{kind}: {rest}";
    }

    private static string Words(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var word in value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(word.ToLowerInvariant());
        }

        return text.ToString();
    }
}
