namespace HelaMem.Silo.Api;

/// <summary>Checks on untrusted text beyond JSON validity: no NUL or lone surrogates (they cannot be stored faithfully).</summary>
internal static class TextRules
{
    /// <summary>Throws a 400 naming <paramref name="field"/> when <paramref name="text"/> is not storable text.</summary>
    public static void RequireStorable(string text, string field)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                throw ApiProblemException.BadRequest($"{field} contains a NUL character.");
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw ApiProblemException.BadRequest($"{field} contains an unpaired surrogate (\\u{(int)c:X4}); send valid Unicode.");
            }
        }
    }

    /// <summary>Validates an optional short text (role, conversation id, metadata).</summary>
    public static void RequireShort(string? text, string field)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > ApiDefaults.MaxShortText)
        {
            throw ApiProblemException.BadRequest($"{field} is {text.Length} characters long; at most {ApiDefaults.MaxShortText} are allowed.");
        }

        RequireStorable(text, field);
    }
}
