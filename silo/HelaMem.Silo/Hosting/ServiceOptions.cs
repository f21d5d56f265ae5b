using HelaMem.Core;
using HelaMem.Llm;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// The service's settings: section <c>HelaMem</c> of the configuration, plus the scriptable environment contract
/// (<c>HELAMEM_DATA_DIR</c>, <c>HELAMEM_OPERATOR_KEY</c>) which wins over the section.
/// </summary>
public sealed class ServiceOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "HelaMem";

    /// <summary>Where grain state and reminders live (SQLite). Default: <c>./data</c> under the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The operator key (null: read from, or generate into, <c>operator.key</c> in the data directory).</summary>
    public string? OperatorKey { get; set; }

    /// <summary>The GloVe cache directory (null: the embeddings' default, <c>HELAMEM_CACHE_DIR</c> or ~/.cache/helamem).</summary>
    public string? EmbeddingCacheDirectory { get; set; }

    /// <summary>The sentence embedder: minilm (default), glove-sif, hashing or remote (<see cref="EmbedderSettings"/>).</summary>
    public string Embedder { get; set; } = EmbedderSettings.Default;

    /// <summary>How the MiniLM embedder runs (section <c>HelaMem:MiniLm</c>).</summary>
    public MiniLmSettings MiniLm { get; set; } = new();

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Per-tenant rate limit (a token bucket).</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Period of the consolidation reminder, in minutes.</summary>
    public double ConsolidationPeriodMinutes { get; set; } = 10;

    /// <summary>Consolidation distills every this many new turns, and at each session's end (0: hubs only).</summary>
    public int ConsolidateEveryTurns { get; set; } = 50;

    /// <summary>A pause this long (minutes) between turns, or since the last one, ends a session.</summary>
    public double SessionGapMinutes { get; set; } = 30;

    /// <summary>Retrieval: the default profile of tenants that set none.</summary>
    public RetrievalOptions Retrieval { get; set; } = new();

    /// <summary>The Orleans cluster the silo forms (ports, service and cluster ids).</summary>
    public SiloClusterOptions Cluster { get; set; } = new();

    /// <summary>The storage account of the <c>azure</c> profile (section <c>HelaMem:Azure</c>; read only by that profile).</summary>
    public AzureStorageSettings Azure { get; set; } = new();

    /// <summary>The database of the <c>postgres</c> profile (section <c>HelaMem:Postgres</c>; read only by that profile).</summary>
    public PostgresSettings Postgres { get; set; } = new();

    /// <summary>Metrics and traces.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The operators' dashboard.</summary>
    public OperatorDashboardOptions Dashboard { get; set; } = new();

    /// <summary>The chat and embedding provider (section <c>HelaMem:Llm</c>; default none).</summary>
    public LlmOptions Llm { get; set; } = new();

    /// <summary>One line per invalid setting (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            errors.Add("HELAMEM_DATA_DIR (HelaMem:DataDirectory) must not be empty.");
        }
        else if (DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"HELAMEM_DATA_DIR '{DataDirectory}' is not a valid path.");
        }

        if (OperatorKey is not null && (OperatorKey.Length < 16 || OperatorKey.Any(char.IsWhiteSpace)))
        {
            errors.Add("HELAMEM_OPERATOR_KEY must be at least 16 characters without whitespace (unset it to have one generated).");
        }

        errors.AddRange(EmbedderSettings.Validate(Embedder, MiniLm, Llm));
        if (MaxRequestBodyBytes < 1024)
        {
            errors.Add($"HelaMem:MaxRequestBodyBytes is {MaxRequestBodyBytes}; it must be at least 1024.");
        }

        if (RateLimit is null)
        {
            errors.Add("HelaMem:RateLimit must be an object.");
        }
        else
        {
            errors.AddRange(RateLimit.Validate());
        }

        if (Retrieval is null)
        {
            errors.Add("HelaMem:Retrieval must be an object.");
        }
        else if (!RetrievalProfiles.IsKnown(Retrieval.Profile))
        {
            errors.Add($"HelaMem:Retrieval:Profile (HelaMem__Retrieval__Profile) is '{Retrieval.Profile}'; it must be one of {string.Join(", ", RetrievalProfiles.Names)}.");
        }

        if (Cluster is null)
        {
            errors.Add("HelaMem:Cluster must be an object.");
        }
        else
        {
            errors.AddRange(Cluster.Validate());
            if (Cluster.Profile == DeploymentProfiles.Azure)
            {
                errors.AddRange(Azure?.Validate() ?? ["HelaMem:Azure must be an object."]);
            }
            else if (Cluster.Profile == DeploymentProfiles.Postgres)
            {
                errors.AddRange(Postgres?.Validate() ?? ["HelaMem:Postgres must be an object."]);
            }
        }

        errors.AddRange(Telemetry?.Validate() ?? ["HelaMem:Telemetry must be an object."]);
        errors.AddRange(Dashboard?.Validate() ?? ["HelaMem:Dashboard must be an object."]);
        errors.AddRange(Llm?.Validate() ?? ["HelaMem:Llm must be an object."]);

        if (!(ConsolidationPeriodMinutes >= 1))
        {
            errors.Add($"HelaMem:ConsolidationPeriodMinutes is {ConsolidationPeriodMinutes}; it must be at least 1.");
        }

        if (ConsolidateEveryTurns is < 0 or > HelaMem.Grains.Hosting.HelaMemGrainOptions.MaxConsolidateEveryTurns)
        {
            errors.Add($"HelaMem:ConsolidateEveryTurns is {ConsolidateEveryTurns}; it must be between 1 and {HelaMem.Grains.Hosting.HelaMemGrainOptions.MaxConsolidateEveryTurns} (0: hubs only).");
        }

        if (!(SessionGapMinutes > 0 && SessionGapMinutes <= 7 * 24 * 60))
        {
            errors.Add($"HelaMem:SessionGapMinutes is {SessionGapMinutes}; it must be above 0 and at most 10080 (a week).");
        }

        return errors;
    }
}

/// <summary>A per-tenant token bucket: <see cref="TokenLimit"/> requests at once, refilled by <see cref="TokensPerPeriod"/> every period.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The bucket's size (the burst a tenant may send).</summary>
    public int TokenLimit { get; set; } = 200;

    /// <summary>Tokens added per period.</summary>
    public int TokensPerPeriod { get; set; } = 100;

    /// <summary>The refill period, in seconds.</summary>
    public double PeriodSeconds { get; set; } = 1;

    /// <summary>One line per invalid setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (TokenLimit < 1)
        {
            yield return $"HelaMem:RateLimit:TokenLimit is {TokenLimit}; it must be at least 1.";
        }

        if (TokensPerPeriod < 1)
        {
            yield return $"HelaMem:RateLimit:TokensPerPeriod is {TokensPerPeriod}; it must be at least 1.";
        }

        if (!(PeriodSeconds > 0) || PeriodSeconds > 86_400)
        {
            yield return $"HelaMem:RateLimit:PeriodSeconds is {PeriodSeconds}; it must be in (0, 86400].";
        }
    }
}
