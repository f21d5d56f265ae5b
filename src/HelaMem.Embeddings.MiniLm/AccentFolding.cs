using System.Globalization;
using System.Reflection;
using System.Text;

namespace HelaMem.Embeddings.MiniLm;

/// <summary>
/// BERT's accent stripping (NFD, then drop the non-spacing marks) without ICU: the service runs with
/// InvariantGlobalization, where <see cref="string.Normalize()"/> leaves text as it is, so the decompositions come
/// from a table generated from the Unicode data (accent-folding.txt) and Hangul syllables are decomposed by the
/// Unicode algorithm.
/// </summary>
internal static class AccentFolding
{
    private const int HangulBase = 0xAC00;
    private const int HangulCount = 11172;
    private const int LeadBase = 0x1100;
    private const int VowelBase = 0x1161;
    private const int TrailBase = 0x11A7;
    private const int VowelCount = 21;
    private const int TrailCount = 28;

    private static readonly Dictionary<int, string> Table = Load();

    /// <summary>Appends <paramref name="rune"/> with its accents removed (nothing when it is itself a mark).</summary>
    public static void Append(Rune rune, StringBuilder destination)
    {
        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
        {
            return;
        }

        var value = rune.Value;
        if (value is >= HangulBase and < HangulBase + HangulCount)
        {
            var index = value - HangulBase;
            destination.Append((char)(LeadBase + index / (VowelCount * TrailCount)));
            destination.Append((char)(VowelBase + index % (VowelCount * TrailCount) / TrailCount));
            if (index % TrailCount != 0)
            {
                destination.Append((char)(TrailBase + index % TrailCount));
            }

            return;
        }

        if (Table.TryGetValue(value, out var folded))
        {
            destination.Append(folded);
            return;
        }

        destination.Append(rune.ToString());
    }

    private static Dictionary<int, string> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("HelaMem.Embeddings.MiniLm.accent-folding.txt")
            ?? throw new InvalidOperationException("The accent-folding table is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var builder = new StringBuilder();
            for (var i = 1; i < parts.Length; i++)
            {
                builder.Append(char.ConvertFromUtf32(int.Parse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            table[int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = builder.ToString();
        }

        return table;
    }
}
