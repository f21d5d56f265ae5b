using System.Text;

namespace HelaMem.Runtime.Storage;

/// <summary>
/// Which strings every provider can store as a key part and give back unchanged: valid Unicode (no unpaired
/// surrogate, which UTF-8 databases would silently replace, merging distinct keys) and no NUL character
/// (PostgreSQL text cannot hold it). Checked before anything is changed, so every provider refuses the same keys.
/// </summary>
public static class StorableText
{
    public static void ThrowIfNotStorable(string value, string what, string parameterName)
    {
        if (!IsStorable(value))
        {
            throw new ArgumentException($"The {what} '{value.Replace("\0", "\\0", StringComparison.Ordinal)}' cannot be stored: key parts must be valid Unicode without NUL characters.", parameterName);
        }
    }

    private static bool IsStorable(ReadOnlySpan<char> value)
    {
        // Fast path: most keys hold neither surrogates nor NUL.
        if (!value.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return !value.Contains('\0');
        }

        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || rune.Value == 0)
            {
                return false;
            }

            value = value[consumed..];
        }

        return true;
    }
}
