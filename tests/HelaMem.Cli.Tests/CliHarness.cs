using Spectre.Console;

namespace HelaMem.Cli.Tests;

/// <summary>Runs the helamem command tree in-process and captures everything it prints.</summary>
public static class CliHarness
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
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
        var exitCode = await HelamemApp.RunAsync(args, console, writer);
        return (exitCode, writer.ToString());
    }
}
