using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Telemetry;

/// <summary>
/// <c>/metrics</c> in Prometheus text format: after an ingest and searches it holds HelaMem's histograms (search and
/// ingest latency, node grains asked per search, consolidation runs) with sensible values, and ASP.NET Core's, Orleans' and the runtime's.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed partial class MetricsEndpointTests(SiloFactory silo)
{
    [Fact]
    public async Task After_searches_the_scrape_holds_helamem_orleans_aspnetcore_and_runtime_metrics()
    {
        var (_, key, http) = await silo.CreateTenantAsync("metrics");
        http.Dispose();
        using var client = silo.TypedClient(key);
        await client.IngestAsync("u", Samples.Conversation());
        for (var i = 0; i < 3; i++)
        {
            await client.SearchAsync("u", new SearchRequest("Rex the puppy and Lisbon"));
        }

        await client.ConsolidateAsync("u");

        using var scrape = silo.CreateClient();
        var text = await ScrapeUntilAsync(scrape, "helamem_search_duration_seconds_count");

        // The search histogram counts at least our three searches (other tests share the silo), each well under a minute.
        Assert.True(Value(text, "helamem_search_duration_seconds_count") >= 3, text);
        var sum = Value(text, "helamem_search_duration_seconds_sum");
        Assert.InRange(sum / Value(text, "helamem_search_duration_seconds_count"), 0, 60);
        Assert.True(Value(text, "helamem_ingest_messages_total") >= 5);
        Assert.True(Value(text, "helamem_ingest_duration_seconds_count") >= 1);
        Assert.Contains("helamem_search_duration_seconds_bucket{", text, StringComparison.Ordinal);

        // Node grains asked per search: a histogram of whole numbers, never more than the graph's nodes here.
        Assert.Contains("helamem_grains_spread_fanout", text, StringComparison.Ordinal);

        // Consolidation: our run is counted and took well under a minute.
        Assert.True(Value(text, "helamem_consolidation_duration_seconds_count") >= 1, text);
        Assert.InRange(Value(text, "helamem_consolidation_duration_seconds_sum") / Value(text, "helamem_consolidation_duration_seconds_count"), 0, 60);
        Assert.Contains("helamem_consolidation_work_total{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Matches(OrleansMetric(), text);
        Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
    }

    // The exporter caches a scrape for a moment: ask again until the metric is there (or give up after 10 s).
    private static async Task<string> ScrapeUntilAsync(HttpClient http, string metric)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = await response.Content.ReadAsStringAsync();
            if (text.Contains(metric, StringComparison.Ordinal) || attempt == 20)
            {
                return text;
            }

            await Task.Delay(500);
        }
    }

    // The sum over every series of a metric (a series line is "name{labels} value [timestamp]" or "name value").
    private static double Value(string text, string metric)
    {
        var total = 0.0;
        var found = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is ' ' or '{')
            {
                var afterLabels = line[metric.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[metric.Length..];
                total += double.Parse(afterLabels.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                found = true;
            }
        }

        Assert.True(found, $"{metric} is not in the scrape");
        return total;
    }

    [GeneratedRegex(@"(?m)^orleans_\w+")]
    private static partial Regex OrleansMetric();
}
