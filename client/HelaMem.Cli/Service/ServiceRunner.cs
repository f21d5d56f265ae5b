using System.CommandLine;
using System.Text.Json;
using HelaMem.Client;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary>
/// Runs a command against a HelaMem server: builds the client from HELAMEM_URL, HELAMEM_API_KEY and
/// HELAMEM_OPERATOR_KEY (or --url), and turns every expected failure into one "error:" line and exit code 1.
/// </summary>
internal static class ServiceRunner
{
    private static readonly JsonSerializerOptions Indented = new(HelaMemClient.SerializerOptions)
    {
        WriteIndented = true,

        // Readable text for people and scripts alike (the output is never embedded in HTML).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The --url option every service command takes.</summary>
    public static Option<string?> UrlOption() => new("--url") { Description = $"The server's address, or several silos' separated by commas, tried in turn when one stops answering (default: ${HelaMemClientOptions.UrlVariable}, else {HelaMemClientOptions.DefaultBaseAddress})" };

    /// <summary>Runs <paramref name="body"/> with a client; returns the exit code.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, string? url, Func<HelaMemClient, Task> body)
    {
        try
        {
            var options = HelaMemClientOptions.FromEnvironment();
            if (url is not null)
            {
                options.UseAddresses(HelaMemClientOptions.ParseAddresses(url, "--url"));
            }

            using var client = new HelaMemClient(options);
            await body(client);
            return ExitCodes.Success;
        }
        catch (CliUsageException e)
        {
            Commands.CommandRunner.WriteError(console, e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is HelaMemApiException or TimeoutException or ArgumentException or IOException or JsonException
            or Locomo.LocomoFormatException or UnauthorizedAccessException)
        {
            Commands.CommandRunner.WriteError(console, OneLine(e.Message));
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            Commands.CommandRunner.WriteError(console, "cancelled");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON, unformatted (scripts parse it).</summary>
    public static void WriteJson<T>(IAnsiConsole console, T value)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(JsonSerializer.Serialize(value, Indented));
        writer.Flush();
    }

    /// <summary>Writes one plain line (no markup, no wrapping): for values scripts read, such as keys.</summary>
    public static void WriteLine(IAnsiConsole console, string line)
    {
        var writer = console.Profile.Out.Writer;
        writer.WriteLine(line);
        writer.Flush();
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
