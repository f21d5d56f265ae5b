using System.CommandLine;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary>
/// <c>helamem reembed (--user|--agent|--run) ID</c> or <c>helamem reembed --all --tenant NAME</c>: moves memories to the
/// server's embedder after <c>HelaMem:Embedder</c> changed (searches and ingests of a memory built with the old one are
/// refused with 409 until then).
/// </summary>
public static class ReembedCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var all = new Option<bool>("--all") { Description = "Every user, agent and run of --tenant (lists them with HELAMEM_OPERATOR_KEY, re-embeds with HELAMEM_API_KEY)" };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant whose memories --all re-embeds" };
        var json = new Option<bool>("--json") { Description = "Print JSON (one result, or an array with --all)" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("reembed", "Re-embed a user's, an agent's or a run's memory (or, with --all, a tenant's) with the server's embedder (HELAMEM_API_KEY)")
        {
            all, tenant, json, url,
        };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var single = owner.ResolveOptional(parse);
            var everyone = parse.GetValue(all);
            if (single is not null == everyone)
            {
                throw new CliUsageException("say whose memory: give --user ID, --agent ID or --run ID, or --all with --tenant NAME");
            }

            if (!everyone && parse.GetValue(tenant) is not null)
            {
                throw new CliUsageException("--tenant goes with --all; a single owner belongs to the API key's tenant");
            }

            IReadOnlyList<MemoryScope> owners = single is { } one ? [one] : await OwnersAsync(client, parse.GetValue(tenant), cancellationToken);
            var results = new List<ReembedResult>(owners.Count);
            foreach (var scope in owners)
            {
                var result = await client.ReembedAsync(scope, cancellationToken);
                results.Add(result);
                if (!parse.GetValue(json))
                {
                    console.MarkupLine(result.Changed
                        ? $"{Markup.Escape(result.Scope)} [bold]{Markup.Escape(result.User)}[/]: {result.MemoriesReembedded} memories and {result.SemanticItemsReembedded} semantic items re-embedded from {Markup.Escape(result.From)} to {Markup.Escape(result.To)} ({result.Dimensions}-d)."
                        : $"{Markup.Escape(result.Scope)} [bold]{Markup.Escape(result.User)}[/]: already on {Markup.Escape(result.To)}; nothing to do.");
                }
            }

            if (parse.GetValue(json))
            {
                if (single is not null)
                {
                    ServiceRunner.WriteJson(console, results[0]);
                }
                else
                {
                    ServiceRunner.WriteJson(console, results);
                }
            }
            else if (everyone)
            {
                console.MarkupLine($"{results.Count} owners, {results.Count(r => r.Changed)} re-embedded.");
            }
        }));
        return command;
    }

    private static async Task<IReadOnlyList<MemoryScope>> OwnersAsync(HelaMemClient client, string? tenant, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(tenant))
        {
            throw new CliUsageException("--all needs --tenant NAME (the tenant of HELAMEM_API_KEY)");
        }

        var owners = new List<MemoryScope>();
        string? cursor = null;
        do
        {
            var page = await client.ListTenantOwnersAsync(tenant, cursor, TenantOwnerCommands.PageSize, cancellationToken);
            owners.AddRange(page.Items.Select(o => o.Scope switch
            {
                "agent" => MemoryScope.Agent(o.Id),
                "run" => MemoryScope.Run(o.Id),
                _ => MemoryScope.User(o.Id),
            }));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return owners;
    }
}
