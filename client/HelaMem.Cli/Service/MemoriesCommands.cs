using System.CommandLine;
using System.Globalization;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>helamem memories list|get|update|history</c>: one user's memories, one at a time.</summary>
public static class MemoriesCommands
{
    /// <summary>Builds the <c>memories</c> command group.</summary>
    public static Command Create(IAnsiConsole console) =>
        new("memories", "List, read, update and trace the memories of a user, an agent or a run (HELAMEM_API_KEY)") { List(console), Get(console), Update(console), History(console) };

    private static Command List(IAnsiConsole console)
    {
        var offset = new Option<long>("--offset") { Description = "Matching memories to skip", DefaultValueFactory = _ => 0 };
        var limit = new Option<int>("--limit") { Description = "Page size (1 … 500)", DefaultValueFactory = _ => 20 };
        var filters = new FilterOptions();
        var json = new Option<bool>("--json") { Description = "Print the page as JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("list", "A page of a user's memories in id order, optionally filtered") { offset, limit, json, url };
        var owner = new OwnerOptions().AddTo(command);
        filters.AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var page = await client.ListMemoriesAsync(owner.Resolve(parse), filters.Read(parse), parse.GetValue(offset), parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, page);
                return;
            }

            var table = new Table().AddColumns("id", "v", "when", "speaker", "content", "metadata");
            foreach (var memory in page.Items)
            {
                table.AddRow(Id(memory.Id), memory.Version.ToString(CultureInfo.InvariantCulture),
                    memory.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Markup.Escape(memory.Speaker), Markup.Escape(memory.Content),
                    Markup.Escape(Describe(memory.Metadata)));
            }

            console.Write(table);
            console.MarkupLine($"{page.Items.Count} of {page.Total} matching memories from offset {page.Offset}");
        }));
        return command;
    }

    private static Command Get(IAnsiConsole console)
    {
        var id = new Argument<long>("ID") { Description = "The memory id" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("get", "One memory, as JSON") { id, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
            ServiceRunner.WriteJson(console, await client.GetMemoryAsync(owner.Resolve(parse), parse.GetValue(id), cancellationToken))));
        return command;
    }

    private static Command Update(IAnsiConsole console)
    {
        var id = new Argument<long>("ID") { Description = "The memory id" };
        var content = new Option<string?>("--content") { Description = "The new text (re-embedded; the memory keeps its id, time and links)" };
        var metadata = new Option<string[]>("--meta") { Description = "The new metadata as KEY=VALUE (repeat); replaces all of it" };
        var clear = new Option<bool>("--clear-meta") { Description = "Remove all metadata" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("update", "Change a memory's content and/or metadata (its old version stays in its history)") { id, content, metadata, clear, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var pairs = parse.GetValue(metadata) ?? [];
            if (pairs.Length > 0 && parse.GetValue(clear))
            {
                throw new CliUsageException("--meta and --clear-meta contradict each other; give one.");
            }

            Dictionary<string, string>? newMetadata = parse.GetValue(clear) ? [] : null;
            foreach (var pair in pairs)
            {
                var (key, value) = FilterOptions.SplitPair(pair);
                (newMetadata ??= new(StringComparer.Ordinal))[key] = value;
            }

            if (parse.GetValue(content) is null && newMetadata is null)
            {
                throw new CliUsageException("Nothing to change: give --content, --meta or --clear-meta.");
            }

            var memory = await client.UpdateMemoryAsync(owner.Resolve(parse), parse.GetValue(id), new MemoryUpdateRequest(parse.GetValue(content), newMetadata), cancellationToken);
            console.MarkupLine($"Memory {Id(memory.Id)} is at version {memory.Version}: {Markup.Escape(memory.Content)}");
        }));
        return command;
    }

    private static Command History(IAnsiConsole console)
    {
        var id = new Argument<long>("ID") { Description = "The memory id" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("history", "Every version of a memory, oldest first") { id, json, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var history = await client.GetMemoryHistoryAsync(owner.Resolve(parse), parse.GetValue(id), cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, history);
                return;
            }

            var table = new Table().AddColumns("version", "event", "at", "content", "metadata");
            foreach (var version in history.Versions)
            {
                table.AddRow(version.Version.ToString(CultureInfo.InvariantCulture), version.Event,
                    version.At?.ToString("u", CultureInfo.InvariantCulture) ?? "-", Markup.Escape(version.Content), Markup.Escape(Describe(version.Metadata)));
            }

            console.Write(table);
        }));
        return command;
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Describe(IReadOnlyDictionary<string, string> metadata) => string.Join(", ", metadata.Select(m => $"{m.Key}={m.Value}"));
}
