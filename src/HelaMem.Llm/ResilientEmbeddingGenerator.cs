using Microsoft.Extensions.AI;

namespace HelaMem.Llm;

/// <summary>The provider's embedding generator behind the retry, time-out and breaker policy of <see cref="ResilientCaller"/>.</summary>
internal sealed class ResilientEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ResilientCaller caller, string model)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    /// <inheritdoc />
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        return caller.CallAsync("embedding", model, token => base.GenerateAsync(inputs, options, token), cancellationToken);
    }
}
