using System.Globalization;
using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.Llm;
using HelaMem.Llm;
using HelaMem.Silo.Hosting;
using Microsoft.Extensions.AI;

namespace HelaMem.Silo.Embedding;

/// <summary>
/// <c>HelaMem:Embedder</c> = remote: the tenant's embedding model (its provider override's, else the silo's
/// <c>HelaMem:Llm:EmbeddingModel</c>) asked for <c>HelaMem:Llm:EmbeddingDimensions</c>-long vectors, one provider call per
/// batch, charged to the tenant (<see cref="LlmTenant"/>) so that its token quota applies. Vectors are scaled to unit
/// length as the local embedders' are. Every failure (after the client's retries, an open breaker, a time-out, a spent
/// quota, an answer that is not the protocol or of another length) is an <see cref="EmbeddingUnavailableException"/>
/// in HelaMem's words: the grains store nothing then (ingest) or answer degraded (search).
/// </summary>
internal sealed partial class RemoteGraphEmbedder : IGraphEmbedder
{
    /// <summary>What the names of remote embedders start with; the rest is the embedding model's name.</summary>
    public const string Prefix = "remote:";

    /// <summary>
    /// How long one embedding (all its attempts) may take: less than Orleans' 30 s grain response time-out, so that the
    /// grain gives up, stores nothing and answers 503 before its caller stops waiting (after which a late success would
    /// store what the caller was told failed).
    /// </summary>
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly ITenantLlmClients _clients;
    private readonly IGrainFactory _grains;
    private readonly ILogger<RemoteGraphEmbedder> _logger;
    private readonly string _siloModel;
    private readonly EmbeddingGenerationOptions _request;

    /// <summary>Creates the embedder (the settings are valid: a provider, an embedding model and dimensions).</summary>
    public RemoteGraphEmbedder(ITenantLlmClients clients, IGrainFactory grains, ServiceOptions options, ILogger<RemoteGraphEmbedder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _grains = grains;
        _logger = logger;
        _siloModel = options.Llm.EmbeddingModel ?? throw new InvalidOperationException($"{LlmOptions.Section}:EmbeddingModel is required for the remote embedder.");
        Dimensions = options.Llm.EmbeddingDimensions ?? throw new InvalidOperationException($"{LlmOptions.Section}:EmbeddingDimensions is required for the remote embedder.");
        Name = NameOf(_siloModel);
        _request = new EmbeddingGenerationOptions { Dimensions = Dimensions };
    }

    /// <inheritdoc />
    public int Dimensions { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The embedder name a graph records for vectors of <paramref name="model"/>.</summary>
    public static string NameOf(string model) => Prefix + model;

    /// <inheritdoc />
    public async ValueTask<string> NameForAsync(string tenant, CancellationToken cancellationToken = default)
    {
        // Read from the tenant's stored settings on each call (as ITenantLlmClients does), so a changed override is seen
        // by the next request on every silo.
        var settings = await _grains.GetGrain<ITenantGrain>(tenant).Settings().WaitAsync(cancellationToken);
        var model = settings.Llm?.EmbeddingModel;
        return string.IsNullOrEmpty(model) || string.Equals(model, _siloModel, StringComparison.Ordinal) ? Name : NameOf(model);
    }

    /// <inheritdoc />
    public async ValueTask<float[]> EmbedAsync(string tenant, string text, CancellationToken cancellationToken = default) =>
        (await EmbedAllAsync(tenant, [text], cancellationToken))[0];

    /// <inheritdoc />
    public async ValueTask<float[][]> EmbedAllAsync(string tenant, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
        {
            return [];
        }

        IEmbeddingGenerator<string, Embedding<float>> generator;
        try
        {
            generator = await _clients.EmbeddingGeneratorAsync(tenant, cancellationToken);
        }
        catch (InvalidOperationException misconfigured)
        {
            // The stored override is no longer allowed by this silo's settings. The full line (naming the field) goes to
            // the operator's log; the tenant is told only that an operator must act, never the override's endpoint.
            LogOverrideRefused(_logger, tenant, misconfigured.Message);
            throw new EmbeddingUnavailableException("the tenant's LLM provider override is not allowed by this silo's settings; an operator must change or remove it", retryAfterSeconds: null);
        }

        GeneratedEmbeddings<Embedding<float>> generated;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            using (LlmTenant.Enter(tenant))
            {
                generated = await generator.GenerateAsync(texts, _request, deadline.Token);
            }
        }
        catch (LlmUnavailableException unavailable)
        {
            throw new EmbeddingUnavailableException(unavailable.Message, Seconds(unavailable.RetryAfter));
        }
        catch (LlmException failure)
        {
            throw new EmbeddingUnavailableException(failure.Message, retryAfterSeconds: null);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EmbeddingUnavailableException(
                $"the embedding provider did not answer within {Deadline.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (all attempts)", retryAfterSeconds: null);
        }

        return ToUnitRows(generated, texts.Count);
    }

    // One unit-length row per text; an answer of another count or length is the provider's error, not ours to pad.
    private float[][] ToUnitRows(GeneratedEmbeddings<Embedding<float>> generated, int count)
    {
        if (generated.Count != count)
        {
            throw new EmbeddingUnavailableException($"the embedding provider answered {generated.Count} vectors for {count} texts", retryAfterSeconds: null);
        }

        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var vector = generated[i].Vector.Span;
            if (vector.Length != Dimensions)
            {
                throw new EmbeddingUnavailableException(
                    $"the embedding provider answered vectors of {vector.Length} dimensions; {LlmOptions.Section}:EmbeddingDimensions is {Dimensions} (does the model support that size?)",
                    retryAfterSeconds: null);
            }

            rows[i] = Normalized(vector);
        }

        return rows;
    }

    private static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var row = vector.ToArray();
        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(vector, vector));
        if (norm > 0f && float.IsFinite(norm))
        {
            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }
        else
        {
            // No direction (or a broken number): all zeros, as a local embedder answers for a text without known words.
            Array.Clear(row);
        }

        return row;
    }

    private static int? Seconds(TimeSpan? retryAfter) => retryAfter is { } after ? (int)Math.Max(1, Math.Ceiling(after.TotalSeconds)) : null;

    [LoggerMessage(EventId = 330, Level = LogLevel.Warning, Message = "Remote embedding for tenant {Tenant} refused: {Problem}")]
    private static partial void LogOverrideRefused(ILogger logger, string tenant, string problem);
}
