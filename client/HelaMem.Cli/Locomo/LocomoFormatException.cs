namespace HelaMem.Cli.Locomo;

/// <summary>A LoCoMo file that cannot be read as a conversation; the message names the file and the problem.</summary>
public sealed class LocomoFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LocomoFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LocomoFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LocomoFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
