using System.CommandLine;
using HelaMem.Cli.Commands;
using Spectre.Console;

namespace HelaMem.Cli;

/// <summary>The <c>helamem</c> command tree; <see cref="RunAsync"/> is what Main and the tests call.</summary>
public static class HelamemApp
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand CreateRoot(IAnsiConsole console) => CreateRoot(console, CliContext.Process);

    private static RootCommand CreateRoot(IAnsiConsole console, CliContext context)
    {
        var eval = new Command("eval", "Evaluate HelaMem on a benchmark") { EvalLocomoCommand.Create(console, context), EvalSemanticCommand.Create(console) };
        var root = new RootCommand("helamem: HeLa-Mem long-term memory for LLM agents")
        {
            SetupCommand.Create(console),
            eval,
            Mcp.McpCommand.Create(),
        };
        foreach (var command in Service.ServiceCommands.Create(console))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Parse errors print one "error:" line each and return
    /// <see cref="ExitCodes.Usage"/>; help goes to <paramref name="output"/>.
    /// </summary>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, CancellationToken cancellationToken = default) =>
        RunAsync(args, console, output, CliContext.Process, cancellationToken);

    /// <summary>The same with <paramref name="context"/>'s environment and chat provider client (the tests').</summary>
    internal static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(context);
        var parse = CreateRoot(console, context).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                // Some parser messages list the allowed values on further lines; keep each error on one line.
                CommandRunner.WriteError(console, string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            }

            console.MarkupLine("[grey]Run with --help for usage.[/]");
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, cancellationToken);
    }
}
