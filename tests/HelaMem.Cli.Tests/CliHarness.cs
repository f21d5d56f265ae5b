using Spectre.Console;

namespace HelaMem.Cli.Tests;

/// <summary>Runs the helamem command tree in-process and captures everything it prints.</summary>
public static class CliHarness
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(CliContext.Process, args);

    /// <summary>Runs with <paramref name="context"/>'s environment and chat provider client instead of the process's.</summary>
    internal static async Task<(int ExitCode, string Output)> RunAsync(CliContext context, params string[] args)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        var exitCode = await HelamemApp.RunAsync(args, console, writer, context);
        return (exitCode, writer.ToString());
    }
}
