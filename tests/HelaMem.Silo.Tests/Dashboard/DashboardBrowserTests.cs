using System.Globalization;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Playwright;

namespace HelaMem.Silo.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (headless Debian chromium through Playwright) against a real silo process: sign
/// in, HelaMem's page shows the silo and a tenant whose numbers move while load is applied through the API, the
/// Orleans Dashboard renders, sign-out locks both again, and no page logs a console error. With
/// HELAMEM_SCREENSHOT_DIR set, it saves the screenshots the docs show (docs/images).
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string OperatorKey = "browser-test-operator-key-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_operator_signs_in_sees_the_numbers_move_under_load_and_the_orleans_dashboard()
    {
        using var data = new TempDirectory("helamem-dashboard-browser");
        using var profile = new TempDirectory("helamem-chromium-profile");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        using var ops = Client(silo, apiKey: null);
        var tenant = "acme-" + Guid.NewGuid().ToString("N")[..6];
        var issued = await ops.CreateTenantAsync(new CreateTenantRequest(tenant));
        using var api = Client(silo, issued.ApiKey);
        await api.IngestAsync("alice", Samples.Conversation());

        var (playwright, browser) = await Chromium.LaunchAsync(profile.Path);
        using var _ = playwright;
        await using var __ = browser;
        var problems = new List<string>();
        var page = await browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console error on {page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"script error on {page.Url}: {error}");

        // Not signed in: the page sends the browser to the sign-in form; a wrong key is refused there.
        await page.GotoAsync(new Uri(silo.Url, "/dashboard/").ToString());
        Assert.Contains("/dashboard/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#key", "certainly-not-the-operator-key");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("That is not this silo's operator key.", (await page.TextContentAsync("#error"))?.Trim());

        await page.FillAsync("#key", OperatorKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => url.EndsWith("/dashboard/", StringComparison.Ordinal));

        // The silo is listed as active and reporting; the tenant has its one owner and the ingest.
        var row = page.Locator($"#tenants tr[data-tenant=\"{tenant}\"]");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(page.Locator("#silos .badge.active")).ToHaveTextAsync("Active");
        Assert.Equal("1", await row.Locator("[data-field=owners]").TextContentAsync());
        var searchesBefore = await CountAsync(row, "searches");
        var ingestsBefore = await CountAsync(row, "ingests");

        // Load through the API: the page's next refreshes show the searches, their rate and latency percentiles.
        foreach (var query in new[] { "Rex", "Lisbon", "violin", "sister", "training", "architect", "weekends", "puppy", "tiles", "dog" })
        {
            await api.SearchAsync("alice", new SearchRequest(query));
        }

        await api.IngestAsync("bob", Samples.Conversation());
        await api.ConsolidateAsync("alice");
        await WaitUntilAsync(async () => await CountAsync(row, "searches") >= searchesBefore + 10 && await CountAsync(row, "ingests") >= ingestsBefore + 1
                && await row.Locator("[data-field=consolidationRuns]").TextContentAsync() == "1",
            "the page to show the 10 searches, the ingest and the consolidation run");
        Assert.Equal("2", await row.Locator("[data-field=owners]").TextContentAsync());
        Assert.True(Number(await row.Locator("[data-field=searchesPerSecond]").TextContentAsync()) > 0, "searches/s did not move");
        var p50 = Number(await row.Locator("[data-field=searchP50Ms]").TextContentAsync());
        var p99 = Number(await row.Locator("[data-field=searchP99Ms]").TextContentAsync());
        Assert.True(p50 > 0 && p99 >= p50, $"p50 {p50} ms, p99 {p99} ms");
        Assert.Contains("No LLM provider configured", await page.TextContentAsync("#llm"), StringComparison.Ordinal);
        Assert.True(Number(await page.TextContentAsync("#storage [data-field=commits]")) > 0, "no storage commits shown");

        // The silo holds the two users' graphs among its activations.
        var siloRow = page.Locator("#silos tbody tr").First;
        await WaitUntilAsync(async () => Number(await siloRow.Locator("[data-field=userGraphs]").TextContentAsync()) >= 2, "the silo row to show the two user graphs");
        Assert.True(Number(await siloRow.Locator("[data-field=activations]").TextContentAsync()) > Number(await siloRow.Locator("[data-field=userGraphs]").TextContentAsync()));
        await ScreenshotAsync(page, "dashboard-helamem.png");

        // The Orleans Dashboard behind the same sign-in.
        await page.ClickAsync("text=Orleans dashboard");
        await page.WaitForURLAsync(url => url.Contains("/dashboard/orleans/", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByText("Active Silos").First).ToBeVisibleAsync(new() { Timeout = (float)Patience.TotalMilliseconds });
        await Assertions.Expect(page.GetByText("Total Activations").First).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(2500);
        await ScreenshotAsync(page, "dashboard-orleans.png");

        // Signing out locks both again.
        await page.GotoAsync(new Uri(silo.Url, "/dashboard/").ToString());
        await page.ClickAsync("text=Sign out");
        await page.WaitForURLAsync(url => url.Contains("/dashboard/login", StringComparison.Ordinal));
        await page.GotoAsync(new Uri(silo.Url, "/dashboard/orleans/").ToString());
        Assert.Contains("/dashboard/login", page.Url, StringComparison.Ordinal);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static HelaMemClient Client(SiloProcess silo, string? apiKey) =>
        new(new HelaMemClientOptions { BaseAddress = silo.Url, ApiKey = apiKey, OperatorKey = OperatorKey });

    private static async Task<long> CountAsync(ILocator row, string field) =>
        long.Parse(await row.GetAttributeAsync($"data-{field}") ?? "0", CultureInfo.InvariantCulture);

    private static double Number(string? text) =>
        double.TryParse(text?.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(250);
        }
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("HELAMEM_SCREENSHOT_DIR") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = true });
        }
    }
}
