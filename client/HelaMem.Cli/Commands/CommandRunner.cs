using HelaMem.Cli.Locomo;
using HelaMem.Embeddings;
using Spectre.Console;

namespace HelaMem.Cli.Commands;

/// <summary>Runs a command body and turns the expected failures into one "error:" line and an exit code.</summary>
public static class CommandRunner
{
    /// <summary>Runs <paramref name="body"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body();
            return ExitCodes.Success;
        }
        catch (CliUsageException e)
        {
            WriteError(console, e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is HelaMem.Client.HelaMemApiException or Answering.AnswerFailedException or TimeoutException or LocomoFormatException or GloveSetupException or EmbeddingCacheMissingException or EmbeddingCacheCorruptException or IOException or UnauthorizedAccessException)
        {
            WriteError(console, e.Message);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            WriteError(console, "cancelled");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Writes one red "error:" line.</summary>
    public static void WriteError(IAnsiConsole console, string message)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
    }
}
