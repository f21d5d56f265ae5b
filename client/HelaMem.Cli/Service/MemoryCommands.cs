using System.CommandLine;
using System.Globalization;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>helamem search</c>, <c>profile</c>, <c>delete</c> and <c>stats</c> against a HelaMem server.</summary>
public static class MemoryCommands
{
    /// <summary>Builds <c>search QUERY (--user|--agent|--run) ID [--top-k N] [--explain] [--json]</c>.</summary>
    public static Command Search(IAnsiConsole console)
    {
        var query = new Argument<string>("QUERY") { Description = "What to remember" };
        var topK = new Option<int?>("--top-k") { Description = "Most episodic items (1 … 100; the best by score of at most k + m selected)" };
        var explain = new Option<bool>("--explain") { Description = "Explain why each item was retrieved" };
        var json = new Option<bool>("--json") { Description = "Print the whole result as JSON (an object with an 'items' array)" };
        var url = ServiceRunner.UrlOption();
        var filters = new FilterOptions();
        var command = new Command("search", "Search a user's, an agent's or a run's memory, optionally among the memories matching a filter (HELAMEM_API_KEY)") { query, topK, explain, json, url };
        var owner = new OwnerOptions().AddTo(command);
        filters.AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var scope = owner.Resolve(parse);
            var request = new SearchRequest(parse.GetValue(query), parse.GetValue(topK), Explain: parse.GetValue(explain), Filter: filters.Read(parse));
            var result = await client.SearchAsync(scope, request, cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, result);
                return;
            }

            if (result.Degraded)
            {
                // Before the table, so that nobody reads the ranking as a full search's.
                console.MarkupLine($"[yellow]warning:[/] degraded search: the query could not be embedded ({Markup.Escape(result.DegradedReason ?? "no reason given")}); items are ranked by keyword and graph scores only, without knowledge items.");
            }

            var table = new Table().AddColumns("id", "pathway", "score", "when", "content", "metadata");
            foreach (var item in result.Items)
            {
                table.AddRow(
                    item.Id.ToString(CultureInfo.InvariantCulture),
                    item.Pathway,
                    item.Score.ToString("0.000", CultureInfo.InvariantCulture),
                    item.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(item.Content),
                    Markup.Escape(string.Join(", ", item.Metadata.Select(m => $"{m.Key}={m.Value}"))));
            }

            console.Write(table);
            var selected = result.Selected is { } count ? $" of {count} selected" : "";
            console.MarkupLine($"retrieval {result.RetrievalId}: {result.Items.Count} items{selected} (by score), {result.Knowledge.Count} knowledge, {result.Profile.Count} profile; context {result.ContextTokens} tokens");
        }));
        return command;
    }

    /// <summary>Builds <c>profile (--user|--agent|--run) ID [--json]</c>.</summary>
    public static Command Profile(IAnsiConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("profile", "Show a user's, an agent's or a run's profile and knowledge (HELAMEM_API_KEY)") { json, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var profile = await client.GetProfileAsync(owner.Resolve(parse), cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, profile);
                return;
            }

            // Per speaker, as a person reads a profile; each item with the memories it came from.
            console.MarkupLine($"[bold]Profile[/] ({profile.Profile.Count})");
            foreach (var group in profile.Profile.GroupBy(item => item.Subject ?? "(unknown)"))
            {
                console.MarkupLine($"  [bold]{Markup.Escape(group.Key)}[/]");
                foreach (var item in group)
                {
                    console.MarkupLine($"    - {Markup.Escape(item.Text)} [grey](from {string.Join(", ", item.Sources)})[/]");
                }
            }

            console.MarkupLine($"[bold]Knowledge[/] ({profile.Knowledge.Count})");
            foreach (var item in profile.Knowledge)
            {
                console.MarkupLine($"  - [grey]{item.Kind}[/] {Markup.Escape(item.Text)} [grey](from {string.Join(", ", item.Sources)})[/]");
            }
        }));
        return command;
    }

    /// <summary>Builds <c>delete (--user|--agent|--run) ID [--memory N]</c>.</summary>
    public static Command Delete(IAnsiConsole console)
    {
        var memory = new Option<long?>("--memory") { Description = "Delete only this memory id (default: the whole memory of the user, agent or run)" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("delete", "Hard-delete a user, an agent or a run (with a receipt) or one memory (HELAMEM_API_KEY)") { memory, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var scope = owner.Resolve(parse);
            if (parse.GetValue(memory) is { } id)
            {
                await client.DeleteMemoryAsync(scope, id, cancellationToken);
                console.MarkupLine($"Memory {id} of {scope.Kind} [bold]{Markup.Escape(scope.Id)}[/] deleted.");
                return;
            }

            var receipt = await client.DeleteOwnerAsync(scope, cancellationToken);
            var kind = char.ToUpperInvariant(receipt.Scope[0]) + receipt.Scope[1..];
            console.MarkupLine($"{Markup.Escape(kind)} [bold]{Markup.Escape(receipt.User)}[/] deleted at {receipt.DeletedAt:u}: {receipt.NodesDeleted} memories, {receipt.SemanticItemsDeleted} semantic items.");
        }));
        return command;
    }

    /// <summary>Builds <c>stats [--user ID | --agent ID | --run ID | --tenant NAME] [--json]</c>.</summary>
    public static Command Stats(IAnsiConsole console)
    {
        var tenant = new Option<string?>("--tenant") { Description = "A tenant's usage (HELAMEM_OPERATOR_KEY)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("stats", "Statistics: a user's, an agent's or a run's (HELAMEM_API_KEY), a tenant's (--tenant) or the cluster's (operator)") { tenant, json, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var scope = owner.ResolveOptional(parse);
            if (scope is not null && parse.GetValue(tenant) is not null)
            {
                throw new CliUsageException("give either an owner (--user, --agent, --run) or --tenant");
            }

            object stats = scope is { } ownerScope ? await client.GetOwnerStatsAsync(ownerScope, cancellationToken)
                : parse.GetValue(tenant) is { } tenantId ? await client.GetTenantStatsAsync(tenantId, cancellationToken)
                : await client.GetClusterStatsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, stats);
                return;
            }

            var table = new Table().AddColumns("stat", "value");
            foreach (var property in stats.GetType().GetProperties())
            {
                table.AddRow(property.Name, Markup.Escape(Convert.ToString(property.GetValue(stats), CultureInfo.InvariantCulture) ?? ""));
            }

            console.Write(table);
        }));
        return command;
    }
}
