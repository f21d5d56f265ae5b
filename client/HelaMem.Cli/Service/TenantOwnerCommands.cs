using System.CommandLine;
using System.Globalization;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>helamem tenants users TENANT</c> and <c>helamem tenants delete TENANT --yes</c> (operator).</summary>
public static class TenantOwnerCommands
{
    /// <summary>Owners asked for per request while walking a tenant (the API's largest page).</summary>
    public const int PageSize = 500;

    /// <summary>Builds <c>tenants users TENANT [--json]</c>: every memory owner of the tenant, following the pages.</summary>
    public static Command Users(IAnsiConsole console)
    {
        var tenant = new Argument<string>("TENANT") { Description = "The tenant" };
        var json = new Option<bool>("--json") { Description = "Print JSON ({tenant, items: [{scope, id}], nextCursor: null, complete})" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("users", "List a tenant's memory owners (users, agents, runs) by scope and id") { tenant, json, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var name = parse.GetValue(tenant)!;
            var owners = new List<OwnerSummary>();
            string? cursor = null;
            var complete = true;
            do
            {
                var page = await client.ListTenantOwnersAsync(name, cursor, PageSize, cancellationToken);
                owners.AddRange(page.Items);
                complete = page.Complete;
                cursor = page.NextCursor;
            }
            while (cursor is not null);

            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, new OwnerPage(name, owners, null, complete));
                return;
            }

            var table = new Table().AddColumns("scope", "id");
            foreach (var owner in owners)
            {
                table.AddRow(owner.Scope, Markup.Escape(owner.Id));
            }

            console.Write(table);
            string Count(string scope) => owners.Count(o => o.Scope == scope).ToString(CultureInfo.InvariantCulture);
            console.MarkupLine($"{owners.Count} owners: {Count("user")} users, {Count("agent")} agents, {Count("run")} runs.");
            if (!complete)
            {
                console.MarkupLine("[yellow]The tenant was stored before HelaMem kept its user list: users not seen since are not listed.[/]");
            }
        }));
        return command;
    }

    /// <summary>Builds <c>tenants delete TENANT --yes [--json]</c>.</summary>
    public static Command Delete(IAnsiConsole console)
    {
        var tenant = new Argument<string>("TENANT") { Description = "The tenant" };
        var yes = new Option<bool>("--yes") { Description = "Confirm: every memory of the tenant's users, agents and runs, its keys and its settings are deleted for good" };
        var json = new Option<bool>("--json") { Description = "Print the receipt as JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("delete", "Delete a tenant with all its memories and keys; prints a receipt (repeat it to finish a delete that failed half-way)") { tenant, yes, json, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var name = parse.GetValue(tenant)!;
            if (!parse.GetValue(yes))
            {
                throw new CliUsageException($"deleting tenant '{name}' removes every memory of its users, agents and runs and its keys for good; add --yes to confirm");
            }

            var receipt = await client.DeleteTenantAsync(name, cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, receipt);
                return;
            }

            var owners = receipt.OwnersDeleted;
            console.MarkupLine(
                $"Tenant [bold]{Markup.Escape(receipt.Tenant)}[/] deleted at {receipt.DeletedAt.ToString("u", CultureInfo.InvariantCulture)}: " +
                $"{owners.Users} users, {owners.Agents} agents, {owners.Runs} runs; {receipt.NodesDeleted} memories, " +
                $"{receipt.SemanticItemsDeleted} semantic items; {receipt.KeysRevoked} keys revoked.");
        }));
        return command;
    }
}
