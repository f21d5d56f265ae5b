namespace HelaMem.Embeddings.MiniLm;

/// <summary>How the MiniLM embedder runs.</summary>
public sealed record MiniLmOptions
{
    /// <summary>The package's DLL holding the weights (null: <see cref="MiniLmModelFiles.DefaultPath"/>).</summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// The longest input in word pieces, <c>[CLS]</c>/<c>[SEP]</c> included; longer texts are cut. 256 is the model's own
    /// limit (sentence-transformers' max_seq_length for all-MiniLM-L6-v2); 128 halves the cost of long texts.
    /// </summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>
    /// Threads one inference may use. 1 (the default) suits a silo, where many grains embed at once and each call
    /// should not compete with the others for the cores; a single-user batch job can raise it.
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Texts per inference call in <see cref="MiniLmEmbedder.EmbedBatch"/> (texts of similar length are batched together).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (MaxTokens is < 3 or > 512)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be between 3 and 512 (the model's position limit).");
        }

        if (IntraOpThreads is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must be between 1 and 256.");
        }

        if (BatchSize is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be between 1 and 1024.");
        }
    }
}
