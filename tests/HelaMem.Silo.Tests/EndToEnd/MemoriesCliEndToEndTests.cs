using System.Text.Json;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The memory commands of the CLI against a silo process: an asynchronous file ingest with progress lines, filtered
/// search and listing, an update and its history.
/// </summary>
public sealed class MemoriesCliEndToEndTests
{
    private const string OperatorKey = "memories-cli-operator-key-0123456789";

    [Fact]
    public async Task Async_ingest_filters_update_and_history_work_from_the_command_line()
    {
        using var data = new TempDirectory("helamem-memories-cli");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "clitenant", "--max-messages-per-ingest", "10");
        Assert.True(code == 0, output);
        environment["HELAMEM_API_KEY"] = output.Trim().Split('\n')[^1].Trim();

        var file = Path.Combine(data.Path, "messages.json");
        var messages = Enumerable.Range(0, 30).Select(i => new
        {
            content = i % 3 == 0 ? $"Bob: the tomato seedlings grew {i} cm" : $"Alice: chapter {i} of the novel is done",
            speaker = i % 3 == 0 ? "Bob" : "Alice",
            conversationId = i < 15 ? "week-1" : "week-2",
            metadata = new Dictionary<string, string> { ["topic"] = i % 3 == 0 ? "garden" : "writing" },
        });
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { messages }));

        (code, output) = await ProcessRunner.RunCliAsync(environment, "ingest", "file", file, "--user", "ann", "--async");
        Assert.True(code == 0, output);
        Assert.Matches("job [0-9a-f]{32}: accepted 30 messages", output);
        Assert.Matches("job [0-9a-f]{32}: 30/30 stored \\(succeeded\\)", output);

        (code, output) = await ProcessRunner.RunCliAsync(environment, "search", "tomato seedlings", "--user", "ann", "--speaker", "Alice", "--conversation", "week-2", "--json");
        Assert.True(code == 0, output);
        using (var result = JsonDocument.Parse(output))
        {
            var items = result.RootElement.GetProperty("items").EnumerateArray().ToList();
            Assert.NotEmpty(items);
            Assert.All(items, item => Assert.Equal(("Alice", "week-2"), (item.GetProperty("speaker").GetString(), item.GetProperty("conversationId").GetString())));
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "memories", "list", "--user", "ann", "--meta", "topic=garden", "--json");
        Assert.True(code == 0, output);
        using (var page = JsonDocument.Parse(output))
        {
            Assert.Equal(10, page.RootElement.GetProperty("total").GetInt32());
            Assert.All(page.RootElement.GetProperty("items").EnumerateArray(), m => Assert.StartsWith("Bob:", m.GetProperty("content").GetString(), StringComparison.Ordinal));
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "memories", "update", "3", "--user", "ann", "--content", "Bob: the tomatoes are ripe", "--meta", "topic=harvest");
        Assert.True(code == 0, output);
        Assert.Contains("version 2", output, StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(environment, "memories", "history", "3", "--user", "ann", "--json");
        Assert.True(code == 0, output);
        using (var history = JsonDocument.Parse(output))
        {
            var versions = history.RootElement.GetProperty("versions").EnumerateArray().ToList();
            Assert.Equal(["Bob: the tomato seedlings grew 3 cm", "Bob: the tomatoes are ripe"], versions.Select(v => v.GetProperty("content").GetString()));
            Assert.Equal("harvest", versions[1].GetProperty("metadata").GetProperty("topic").GetString());
        }

        (code, output) = await ProcessRunner.RunCliAsync(environment, "memories", "update", "3", "--user", "ann");
        Assert.Equal(2, code);
        Assert.Contains("Nothing to change", output, StringComparison.Ordinal);
        (code, output) = await ProcessRunner.RunCliAsync(environment, "memories", "list", "--user", "ann", "--meta", "topic");
        Assert.Equal(2, code);
        Assert.Contains("KEY=VALUE", output, StringComparison.Ordinal);
    }
}
