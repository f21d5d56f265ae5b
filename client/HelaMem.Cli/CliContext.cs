namespace HelaMem.Cli;

/// <summary>
/// What the commands read from outside their arguments: the environment, and the HTTP client that reaches a chat
/// provider (null: the provider SDK's own). The tests pass their own, so that a run sees their variables and trusts
/// their in-process provider's certificate without touching the process.
/// </summary>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="LlmHttp">The HTTP client for the chat provider, or null.</param>
internal sealed record CliContext(Func<string, string?> Environment, HttpClient? LlmHttp)
{
    /// <summary>The process's environment and the SDK's own HTTP stack.</summary>
    public static CliContext Process { get; } = new(System.Environment.GetEnvironmentVariable, null);
}
