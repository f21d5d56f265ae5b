using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HelaMem.Cli.Locomo;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary>
/// <c>helamem ingest locomo FILE --user ID</c> and <c>helamem ingest file FILE --user ID</c> (or <c>--agent ID</c>,
/// <c>--run ID</c> for an agent's or a run's memory).
/// </summary>
public static class IngestCommands
{
    /// <summary>Messages per request (well under the default per-ingest quota of 1000).</summary>
    public const int BatchSize = 200;

    /// <summary>Builds <c>ingest</c>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var ingest = new Command("ingest", "Store messages on a HelaMem server (HELAMEM_API_KEY)");
        ingest.Subcommands.Add(Locomo(console));
        ingest.Subcommands.Add(File(console));
        return ingest;
    }

    /// <summary>The messages of a LoCoMo conversation: "Speaker: text", the session time, dia_id and session as metadata.</summary>
    public static List<MessageInput> FromLocomo(LocomoConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return [.. conversation.Turns.Select(turn => new MessageInput(
            turn.NodeText,
            turn.Speaker,
            Role: null,
            turn.Time,
            $"locomo-{conversation.Id}",
            new Dictionary<string, string>
            {
                ["dia_id"] = turn.DiaId,
                ["session"] = turn.Session.ToString(CultureInfo.InvariantCulture),
            }))];
    }

    private static Command Locomo(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A LoCoMo conversation file (conv-<id>.json)" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("locomo", "Ingest a LoCoMo conversation (each turn keeps its dia_id in metadata)") { file, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var scope = owner.Resolve(parse);
            var conversation = LocomoReader.Read(parse.GetValue(file)!.FullName);
            await SendAsync(console, client, scope, FromLocomo(conversation), cancellationToken);
        }));
        return command;
    }

    private static Command File(IAnsiConsole console)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSON file: {\"messages\": [...]} or an array of messages ({content, speaker, role, timestamp, conversationId, metadata})" };
        var url = ServiceRunner.UrlOption();
        var asynchronous = new Option<bool>("--async") { Description = "Submit as background jobs (up to 10,000 messages each) and print their progress until they end" };
        var deduplicate = new Option<bool>("--dedup") { Description = "Don't store a message whose content the owner already has" };
        var command = new Command("file", "Ingest messages from a JSON file") { file, asynchronous, deduplicate, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var scope = owner.Resolve(parse);
            var messages = await ReadMessagesAsync(parse.GetValue(file)!, cancellationToken);
            if (parse.GetValue(asynchronous))
            {
                await SubmitAsync(console, client, scope, messages, parse.GetValue(deduplicate), cancellationToken);
                return;
            }

            await SendAsync(console, client, scope, messages, cancellationToken, parse.GetValue(deduplicate));
        }));
        return command;
    }

    // Background jobs, one per 10,000 messages, in order; one plain line per change of progress (readable when piped).
    private static async Task SubmitAsync(IAnsiConsole console, HelaMemClient client, MemoryScope owner, List<MessageInput> messages, bool deduplicate, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            throw new ArgumentException("The file holds no messages.");
        }

        foreach (var part in messages.Chunk(MaxAsyncMessages))
        {
            var job = await client.SubmitIngestAsync(owner, new IngestRequest(part, deduplicate), cancellationToken: cancellationToken);
            console.MarkupLine($"job {job.JobId}: accepted {job.Messages} messages");
            var done = await client.WaitForIngestJobAsync(owner, job.JobId, TimeSpan.FromMilliseconds(500), new JobProgressLines(console), cancellationToken);
            if (done.Status == "failed")
            {
                throw new ArgumentException($"job {job.JobId} failed after {done.MessagesDone} of {done.Messages} messages: {done.Error}");
            }
        }

        console.MarkupLine($"Ingested [bold]{messages.Count}[/] messages for {Markup.Escape(owner.Kind)} [bold]{Markup.Escape(owner.Id)}[/] in the background.");
    }

    private const int MaxAsyncMessages = 10_000;

    // One plain line each time a job has stored more; reported inline (Progress<T> would post to the thread pool,
    // and the lines could come out of order).
    private sealed class JobProgressLines(IAnsiConsole console) : IProgress<IngestJob>
    {
        private int _shown = -1;

        public void Report(IngestJob value)
        {
            if (value.MessagesDone != _shown)
            {
                _shown = value.MessagesDone;
                console.MarkupLine($"job {value.JobId}: {value.MessagesDone}/{value.Messages} stored ({value.Status})");
            }
        }
    }

    private static async Task<List<MessageInput>> ReadMessagesAsync(FileInfo file, CancellationToken cancellationToken)
    {
        await using var stream = file.OpenRead();
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var messages) ? messages
            : throw new ArgumentException($"{file.FullName}: expected a JSON array of messages or an object with a 'messages' array.");
        return array.Deserialize<List<MessageInput>>(HelaMemClient.SerializerOptions)
            ?? throw new ArgumentException($"{file.FullName}: the messages are null.");
    }

    private static async Task SendAsync(IAnsiConsole console, HelaMemClient client, MemoryScope owner, List<MessageInput> messages, CancellationToken cancellationToken, bool deduplicate = false)
    {
        if (messages.Count == 0)
        {
            throw new ArgumentException("The file holds no messages.");
        }

        long nodes = 0;
        if (Commands.PlainProgress.LiveBarWorks(console))
        {
            await console.Progress().AutoClear(true).StartAsync(async progress =>
            {
                var task = progress.AddTask($"ingesting into {Markup.Escape(owner.Id)}", maxValue: messages.Count);
                foreach (var batch in messages.Chunk(BatchSize))
                {
                    var result = await client.IngestAsync(owner, new IngestRequest(batch, deduplicate), cancellationToken);
                    nodes = result.NodeCount;
                    task.Increment(batch.Length);
                }
            });
        }
        else
        {
            // Piped or redirected: a line per batch (batches are few: BatchSize messages each).
            var lines = new Commands.PlainProgress(console, $"ingesting into {owner.Id}", messages.Count, "messages", TimeSpan.Zero);
            foreach (var batch in messages.Chunk(BatchSize))
            {
                var result = await client.IngestAsync(owner, new IngestRequest(batch, deduplicate), cancellationToken);
                nodes = result.NodeCount;
                lines.Advance(batch.Length);
            }
        }

        console.MarkupLine($"Ingested [bold]{messages.Count}[/] messages for {owner.Kind} [bold]{Markup.Escape(owner.Id)}[/] ({nodes} memories now).");
    }
}
