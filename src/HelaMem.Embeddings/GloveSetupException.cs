namespace HelaMem.Embeddings;

/// <summary>Thrown when the one-time GloVe setup cannot complete (npm missing or failing, package without vectors).</summary>
public sealed class GloveSetupException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public GloveSetupException()
        : base("The GloVe setup failed.")
    {
    }

    /// <summary>Creates the exception with a message that says what failed and what to do.</summary>
    public GloveSetupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public GloveSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
