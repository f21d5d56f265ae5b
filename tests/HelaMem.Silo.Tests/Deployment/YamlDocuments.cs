using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// The documents of a YAML file as plain trees (mappings, sequences, scalar strings), with merge keys (<c>&lt;&lt;: *anchor</c>)
/// resolved as compose files use them, and a path lookup for the tests' checks.
/// </summary>
internal static class YamlDocuments
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of the file; throws <see cref="YamlException"/> when it does not parse.</summary>
    public static List<Dictionary<object, object?>> Load(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var parser = new MergingParser(new Parser(reader));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Deserializer.Deserialize<Dictionary<object, object?>>(parser);
            if (document is not null)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>The node at a dotted path of mapping keys (e.g. <c>spec.template.spec</c>), or null.</summary>
    public static object? At(this object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<object, object?> mapping || !mapping.TryGetValue(key, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The mapping at <paramref name="path"/>; fails the test when it is missing.</summary>
    public static Dictionary<object, object?> Map(this object? node, string path) =>
        node.At(path) as Dictionary<object, object?> ?? throw new Xunit.Sdk.XunitException($"'{path}' is not a mapping");

    /// <summary>The sequence of mappings at <paramref name="path"/> (empty when missing).</summary>
    public static List<Dictionary<object, object?>> Maps(this object? node, string path) =>
        (node.At(path) as List<object?> ?? []).OfType<Dictionary<object, object?>>().ToList();

    /// <summary>The scalar at <paramref name="path"/>; fails the test when it is missing.</summary>
    public static string Text(this object? node, string path) =>
        node.At(path) as string ?? throw new Xunit.Sdk.XunitException($"'{path}' is not a scalar");

    /// <summary>The scalars of the sequence at <paramref name="path"/> (empty when missing).</summary>
    public static List<string> Texts(this object? node, string path) =>
        (node.At(path) as List<object?> ?? []).OfType<string>().ToList();
}
