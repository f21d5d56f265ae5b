namespace HelaMem.Cli;

/// <summary>The tool's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The work failed (bad data file, setup failure).</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments or a missing input; nothing was done.</summary>
    public const int Usage = 2;
}
