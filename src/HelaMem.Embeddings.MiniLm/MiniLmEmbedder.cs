using System.Numerics.Tensors;
using HelaMem.Core.Text;
using Microsoft.ML.OnnxRuntime;

namespace HelaMem.Embeddings.MiniLm;

/// <summary>
/// all-MiniLM-L6-v2, the sentence encoder of the released HeLa-Mem code: WordPiece ids through the 6-layer MiniLM
/// (ONNX Runtime, CPU), mean pooling of the token states over the attention mask, L2 normalisation; 384 dimensions.
/// One <see cref="InferenceSession"/> serves every thread (its Run is thread-safe). Deterministic: the same text gives
/// the same vector on the same machine and build. A text without any token (empty, white space, control characters)
/// gives all zeros, as the contract asks; any token, even <c>[UNK]</c>, gives a unit vector.
/// </summary>
public sealed class MiniLmEmbedder : IBatchSentenceEmbedder, IDisposable
{
    /// <summary>The model's output width.</summary>
    public const int ModelDimensions = 384;

    /// <summary>The embedder's name as graphs record it.</summary>
    public const string EmbedderName = "minilm-l6-v2-384d";

    private readonly InferenceSession _session;
    private readonly WordPieceTokenizer _tokenizer;
    private readonly MiniLmOptions _options;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly bool _wantsTokenTypes;

    private MiniLmEmbedder(InferenceSession session, WordPieceTokenizer tokenizer, MiniLmOptions options)
    {
        _session = session;
        _tokenizer = tokenizer;
        _options = options;
        _wantsTokenTypes = session.InputMetadata.ContainsKey("token_type_ids");
        _inputNames = _wantsTokenTypes ? ["input_ids", "attention_mask", "token_type_ids"] : ["input_ids", "attention_mask"];
        foreach (var name in _inputNames)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new InvalidDataException($"The MiniLM model has no input '{name}' (inputs: {string.Join(", ", session.InputMetadata.Keys)}).");
            }
        }

        // The token states: "last_hidden_state" in the usual export, else the first output of rank 3.
        var output = session.OutputMetadata.ContainsKey("last_hidden_state")
            ? "last_hidden_state"
            : session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key
              ?? throw new InvalidDataException("The MiniLM model has no token-state output of rank 3.");
        _outputNames = [output];
    }

    /// <inheritdoc />
    public string Name => EmbedderName;

    /// <inheritdoc />
    public int Dimensions => ModelDimensions;

    /// <summary>The tokenizer (its vocabulary is the model's).</summary>
    public WordPieceTokenizer Tokenizer => _tokenizer;

    /// <summary>Where the weights were read from.</summary>
    public string Source { get; private init; } = "";

    /// <summary>Loads the model from the package's DLL (see <see cref="MiniLmModelFiles"/>).</summary>
    public static MiniLmEmbedder Load(MiniLmOptions? options = null)
    {
        options ??= new MiniLmOptions();
        options.Validate();
        var files = MiniLmModelFiles.Read(options.ModelPath);
        var tokenizer = new WordPieceTokenizer(files.Vocabulary, options.MaxTokens);
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };

        // Spinning worker threads burn a core between calls; the silo shares its cores with everything else.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        var session = new InferenceSession(files.Model, sessionOptions);
        try
        {
            return new MiniLmEmbedder(session, tokenizer, options) { Source = files.Source };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Embed(ReadOnlySpan<char> text, Span<float> destination)
    {
        RequireLength(destination, 1);
        Run([_tokenizer.Encode(text)], destination);
    }

    /// <inheritdoc />
    public void EmbedBatch(IReadOnlyList<string> texts, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(texts);
        RequireLength(destination, texts.Count);
        if (texts.Count == 0)
        {
            return;
        }

        var encoded = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            encoded[i] = _tokenizer.Encode(texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts)));
        }

        // Similar lengths together keep the padding (computed and thrown away) small.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => encoded[i].Length).ToArray();
        var chunk = new int[Math.Min(_options.BatchSize, order.Length)][];
        var vectors = new float[chunk.Length * Dimensions];
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            var count = Math.Min(_options.BatchSize, order.Length - start);
            var batch = count == chunk.Length ? chunk : new int[count][];
            for (var j = 0; j < count; j++)
            {
                batch[j] = encoded[order[start + j]];
            }

            Run(batch, vectors.AsSpan(0, count * Dimensions));
            for (var j = 0; j < count; j++)
            {
                vectors.AsSpan(j * Dimensions, Dimensions).CopyTo(destination.Slice(order[start + j] * Dimensions, Dimensions));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    // Runs one padded batch and writes each sequence's pooled, normalised vector.
    private void Run(int[][] batch, Span<float> destination)
    {
        var rows = batch.Length;
        var length = batch.Max(ids => ids.Length);
        var inputIds = new long[rows * length];
        var mask = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var ids = batch[r];
            for (var t = 0; t < length; t++)
            {
                var real = t < ids.Length;
                inputIds[r * length + t] = real ? ids[t] : _tokenizer.PadId;
                mask[r * length + t] = real ? 1 : 0;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = _wantsTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * length], shape) : null;
        OrtValue[] inputs = typesValue is null ? [idsValue, maskValue] : [idsValue, maskValue, typesValue];
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, _inputNames, inputs, _outputNames);
        var states = outputs[0].GetTensorDataAsSpan<float>();
        var width = Dimensions;
        if (states.Length != rows * length * width)
        {
            throw new InvalidDataException($"The MiniLM model returned {states.Length} numbers for {rows}×{length} tokens of {width}.");
        }

        for (var r = 0; r < rows; r++)
        {
            var vector = destination.Slice(r * width, width);
            vector.Clear();
            if (batch[r].Length <= 2)
            {
                // No token between [CLS] and [SEP]: zeros, as ISentenceEmbedder specifies for a text without words.
                continue;
            }

            // Mean pooling over the real tokens ([CLS] and [SEP] included, as sentence-transformers does); the
            // division by their count does not change the direction, so only the normalisation is done.
            var tokens = batch[r].Length;
            for (var t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(vector, states.Slice((r * length + t) * width, width), vector);
            }

            var norm = TensorPrimitives.Norm(vector);
            if (norm > 0f && float.IsFinite(norm))
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }
            else
            {
                vector.Clear();
            }
        }
    }

    private void RequireLength(Span<float> destination, int texts)
    {
        if (destination.Length != texts * Dimensions)
        {
            throw new ArgumentException(
                $"The destination has {destination.Length} elements; {Name} writes {Dimensions} per text ({texts * Dimensions} for {texts}).",
                nameof(destination));
        }
    }
}
