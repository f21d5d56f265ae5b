using Microsoft.Extensions.AI;

namespace HelaMem.Llm;

/// <summary>The embedding counterpart of <see cref="MeteredChatClient"/>: quota before, usage after.</summary>
internal sealed class MeteredEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, TokenMeter meter, string model)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var tenant = meter.EnsureBudget();
        var embeddings = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        meter.Record(tenant, "embedding", model, embeddings.Usage);
        return embeddings;
    }
}
