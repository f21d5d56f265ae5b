namespace HelaMem.Cli.Answering;

/// <summary>The chat provider failed for good on a question (after its retries): the run stops with this one line.</summary>
public sealed class AnswerFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AnswerFailedException()
    {
    }

    /// <summary>Creates the exception with the message shown to the user.</summary>
    public AnswerFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the provider's failure.</summary>
    public AnswerFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
