namespace HelaMem.Cli.Evaluation;

/// <summary>Where the evaluation runs HeLa-Mem.</summary>
public enum EvalEngine
{
    /// <summary>The in-memory algorithm core (MemoryGraph).</summary>
    Core,

    /// <summary>The memory grains in an in-process test cluster (GrainRetrievalSession).</summary>
    Grains,

    /// <summary>A running HelaMem server, through its HTTP API (ServerEvalTarget).</summary>
    Server,
}
