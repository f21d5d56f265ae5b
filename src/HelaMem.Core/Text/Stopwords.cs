using System.Collections.Frozen;

namespace HelaMem.Core.Text;

/// <summary>
/// The English stopword list shared by keyword extraction and BM25. It is the list of the LoCoMo reference
/// configuration (shipped as an embedded resource), so that offline keywords match the published figures.
/// </summary>
public static class Stopwords
{
    private static readonly Lazy<FrozenSet<string>> Set = new(Load);

    /// <summary>The stopword set (lower case, ordinal comparison).</summary>
    public static FrozenSet<string> All => Set.Value;

    /// <summary>True when <paramref name="token"/> (lower case) is a stopword.</summary>
    public static bool Contains(string token) => Set.Value.Contains(token);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(Stopwords).Assembly.GetManifestResourceStream("HelaMem.Core.Text.stopwords.txt")
            ?? throw new InvalidOperationException("The embedded stopword list is missing from HelaMem.Core.");
        using var reader = new StreamReader(stream);
        var words = reader.ReadToEnd().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
