using System.Diagnostics;
using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace HelaMem.Silo.Tests.Mcp;

/// <summary>One silo process for the stdio tests that need a silo.</summary>
public sealed class McpSiloFixture : IAsyncLifetime
{
    /// <summary>The silo's operator key.</summary>
    public const string OperatorKey = "mcp-stdio-operator-key-0123456789";

    private readonly TempDirectory _data = new("helamem-mcp-e2e");
    private SiloProcess? _silo;

    /// <summary>The running silo.</summary>
    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo is not started.");

    public async Task InitializeAsync() => _silo = await SiloProcess.StartAsync(_data.Path, OperatorKey);

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        _data.Dispose();
    }

    /// <summary>Creates a tenant; returns its API key.</summary>
    public async Task<string> CreateTenantAsync(string name)
    {
        using var operators = new HelaMemClient(new HelaMemClientOptions { BaseAddress = Silo.Url, OperatorKey = OperatorKey });
        return (await operators.CreateTenantAsync(new CreateTenantRequest(name))).ApiKey;
    }
}

/// <summary>
/// <c>helamem mcp</c> end to end: the CLI process (<c>dotnet helamem.dll mcp</c>) driven over stdio by the SDK's own
/// client, against a silo process on a loopback port.
/// </summary>
public sealed class McpStdioTests(McpSiloFixture fixture) : IClassFixture<McpSiloFixture>
{
    [Fact]
    public async Task Serves_the_silos_tools_and_answers_as_the_silos_endpoint_does()
    {
        var key = await fixture.CreateTenantAsync("stdio");
        var stderr = new List<string>();
        await using var stdio = await StdioMcp.ConnectAsync(fixture.Silo.Url.ToString(), key, stderr);
        await using var http = await McpConnections.ConnectAsync(new HttpClient(), new Uri(fixture.Silo.Url, "/mcp"), key, ownsHttp: true);

        // The same tools: names, titles, descriptions, input and output schemas and hints.
        var viaStdio = (await stdio.ListToolsAsync()).ToDictionary(t => t.Name, t => JsonSerializer.SerializeToElement(t.ProtocolTool));
        var viaHttp = (await http.ListToolsAsync()).ToDictionary(t => t.Name, t => JsonSerializer.SerializeToElement(t.ProtocolTool));
        Assert.Equal(9, viaStdio.Count);
        Assert.Equal(viaHttp.Keys.Order(StringComparer.Ordinal), viaStdio.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tool) in viaHttp)
        {
            Assert.True(JsonElement.DeepEquals(tool, viaStdio[name]), $"{name} differs:\nhttp:  {tool}\nstdio: {viaStdio[name]}");
        }

        // Add through stdio, search through stdio, and the silo's own endpoint sees the same memories.
        var added = await stdio.CallAsync("add_memories", new() { ["user"] = "dana", ["messages"] = McpToolTests.Messages(Samples.Conversation()) });
        Assert.Equal(5, added.GetProperty("nodeCount").GetInt64());
        var found = (await stdio.CallAsync("search_memories", new() { ["user"] = "dana", ["query"] = "Where does Alice's sister live?", ["topK"] = 3 }))
            .Deserialize<SearchResult>(HelaMemClient.SerializerOptions)!;
        Assert.Contains(found.Items, item => item.Content.Contains("Lisbon", StringComparison.Ordinal));
        Assert.True(JsonElement.DeepEquals(
            await http.CallAsync("get_memory", new() { ["user"] = "dana", ["id"] = 2 }),
            await stdio.CallAsync("get_memory", new() { ["user"] = "dana", ["id"] = 2 })));
        var usage = await stdio.CallAsync("report_usage", new() { ["user"] = "dana", ["retrievalId"] = found.RetrievalId, ["nodeIds"] = new[] { found.Items[0].Id } });
        Assert.Equal(found.RetrievalId, usage.GetProperty("retrievalId").GetInt64());

        // Refusals read the same through both servers.
        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
        {
            ("search_memories", new() { ["user"] = "dana", ["query"] = "sister", ["topK"] = 0 }),
            ("search_memories", new() { ["user"] = "dana", ["query"] = "  " }),
            ("get_profile", new() { ["user"] = "nobody" }),
            ("get_memory", new() { ["user"] = "dana", ["id"] = 42 }),
            ("list_memories", new() { ["user"] = "dana", ["limit"] = "many" }),
            ("add_memories", new() { ["user"] = "dana" }),
        })
        {
            Assert.Equal(await http.RefusedAsync(tool, arguments), await stdio.RefusedAsync(tool, arguments));
        }

        Assert.Equal("Unknown user (404): User 'nobody' has no memories.", await stdio.RefusedAsync("get_profile", new() { ["user"] = "nobody" }));
        Assert.StartsWith("Bad request (400): Invalid user id", await stdio.RefusedAsync("get_profile", new() { ["user"] = " " }), StringComparison.Ordinal);
        Assert.Contains(stderr, line => line.Contains($"helamem mcp: serving the memory tools over stdio for {fixture.Silo.Url}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Filters_updates_history_and_idempotency_keys_answer_as_the_silos_endpoint_does()
    {
        var key = await fixture.CreateTenantAsync("stdio-options");
        await using var stdio = await StdioMcp.ConnectAsync(fixture.Silo.Url.ToString(), key, []);
        await using var http = await McpConnections.ConnectAsync(new HttpClient(), new Uri(fixture.Silo.Url, "/mcp"), key, ownsHttp: true);

        // The same key twice through stdio stores once (the client's own key is replaced by the caller's).
        var messages = McpToolTests.Messages(Samples.Conversation());
        Assert.False((await stdio.CallAsync("add_memories", new() { ["user"] = "ezra", ["messages"] = messages, ["idempotencyKey"] = "stdio-1" })).GetProperty("replayed").GetBoolean());
        var retry = await stdio.CallAsync("add_memories", new() { ["user"] = "ezra", ["messages"] = messages, ["idempotencyKey"] = "stdio-1" });
        Assert.True(retry.GetProperty("replayed").GetBoolean());
        Assert.Equal(5, retry.GetProperty("nodeCount").GetInt64());

        // Update and history round trip; the silo's endpoint sees the same.
        var updated = await stdio.CallAsync("update_memory", new() { ["user"] = "ezra", ["id"] = 3, ["content"] = "Alice: I am learning to play the cello on weekends." });
        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        var history = await stdio.CallAsync("memory_history", new() { ["user"] = "ezra", ["id"] = 3 });
        Assert.Equal(["created", "updated"], history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("event").GetString()));
        Assert.True(JsonElement.DeepEquals(await http.CallAsync("memory_history", new() { ["user"] = "ezra", ["id"] = 3 }), history));

        // A filtered listing: the client sends the filter as a query string, the silo's endpoint takes the object.
        var filter = new { speakers = new[] { "alice" }, metadata = new { dia_id = new[] { "D1:1", "D1:4", "D1:5" } }, from = "2024-05-01T09:00:00Z" };
        var page = await stdio.CallAsync("list_memories", new() { ["user"] = "ezra", ["filter"] = filter });
        Assert.Equal([0L, 3], page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetInt64()));
        Assert.True(JsonElement.DeepEquals(await http.CallAsync("list_memories", new() { ["user"] = "ezra", ["filter"] = filter }), page));

        // Refusals read the same through both servers, the listing's filter included.
        foreach (var (tool, arguments) in new (string, Dictionary<string, object?>)[]
        {
            ("list_memories", new() { ["user"] = "ezra", ["filter"] = new { speakers = new[] { "" } } }),
            ("list_memories", new() { ["user"] = "ezra", ["filter"] = new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string[]> { [""] = ["x"] } } }),
            ("list_memories", new() { ["user"] = "ezra", ["filter"] = new { from = "2024-06-01T00:00:00Z", until = "2024-05-01T00:00:00Z" } }),
            ("search_memories", new() { ["user"] = "ezra", ["query"] = "cello", ["filter"] = new { speaker = new[] { "Alice" } } }),
            ("search_memories", new() { ["user"] = "ezra", ["query"] = "cello", ["filter"] = new { from = "2024-06-01T00:00:00Z", until = "2024-05-01T00:00:00Z" } }),
            ("add_memories", new() { ["user"] = "ezra", ["messages"] = messages, ["idempotencyKey"] = "stdio 2" }),
            ("add_memories", new() { ["user"] = "ezra", ["messages"] = messages, ["idempotencyKey"] = "" }),
            ("update_memory", new() { ["user"] = "ezra", ["id"] = 3 }),
            ("update_memory", new() { ["user"] = "ezra", ["id"] = 3, ["metadata"] = new Dictionary<string, string?> { ["k"] = null } }),
            ("memory_history", new() { ["user"] = "ezra", ["id"] = 42 }),
        })
        {
            Assert.Equal(await http.RefusedAsync(tool, arguments), await stdio.RefusedAsync(tool, arguments));
        }

        Assert.Equal(5, (await stdio.CallAsync("list_memories", new() { ["user"] = "ezra" })).GetProperty("total").GetInt64());
    }
}

/// <summary><c>helamem mcp</c> without a silo: an unreachable address and a missing key.</summary>
public sealed class McpStdioFailureTests
{
    [Fact]
    public async Task An_unreachable_silo_is_a_clear_tool_error_and_the_server_keeps_serving()
    {
        var url = $"http://127.0.0.1:{ProcessRunner.FreePort()}/";
        await using var client = await StdioMcp.ConnectAsync(url, "hm.acme.0123456789ab.secret", []);

        var search = await client.RefusedAsync("search_memories", new() { ["user"] = "alice", ["query"] = "dog" });
        Assert.StartsWith($"Cannot reach HelaMem at {url}", search, StringComparison.Ordinal);
        Assert.EndsWith("Is the silo running, and is HELAMEM_URL its address?", search, StringComparison.Ordinal);

        // Still serving: another call, and the tool list.
        Assert.StartsWith($"Cannot reach HelaMem at {url}", await client.RefusedAsync("get_profile", new() { ["user"] = "alice" }), StringComparison.Ordinal);
        Assert.Equal(9, (await client.ListToolsAsync()).Count);
    }

    [Fact]
    public async Task Standard_output_carries_only_mcp_messages()
    {
        var url = $"http://127.0.0.1:{ProcessRunner.FreePort()}/";
        string[] requests =
        [
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
            """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
            """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
            """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"search_memories","arguments":{"user":"alice","query":"dog"}}}""",
            """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"search_memories","arguments":{"user":"alice","topK":"x"}}}""",
        ];
        var (exitCode, stdout, stderr) = await StdioMcp.RunRawAsync(url, "hm.acme.0123456789ab.secret", requests, answers: 4);

        Assert.Equal(0, exitCode);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = new List<int>();
        foreach (var line in lines)
        {
            using var message = JsonDocument.Parse(line);
            Assert.Equal("2.0", message.RootElement.GetProperty("jsonrpc").GetString());
            ids.Add(message.RootElement.GetProperty("id").GetInt32());
        }

        Assert.Equal([1, 2, 3, 4], ids.Order());
        Assert.Contains("helamem mcp: serving the memory tools over stdio", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_api_key_it_says_so_on_stderr_and_exits_with_2()
    {
        var (exitCode, stdout, stderr) = await StdioMcp.RunRawAsync("http://127.0.0.1:5080/", null, [], answers: 0);
        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("error: no API key: set HELAMEM_API_KEY to a tenant's key (create one with 'helamem tenants create NAME').", stderr.Trim());
    }
}

/// <summary>Starts <c>helamem mcp</c> from the CLI's build output.</summary>
internal static class StdioMcp
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    /// <summary>Connects the SDK's stdio client to a new <c>helamem mcp</c> process; its stderr lines go to <paramref name="stderr"/>.</summary>
    public static Task<McpClient> ConnectAsync(string url, string apiKey, List<string> stderr)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [RepositoryPaths.CliDll, "mcp"],
            Name = "helamem-mcp",
            EnvironmentVariables = new Dictionary<string, string?>
            {
                ["HELAMEM_URL"] = url,
                ["HELAMEM_API_KEY"] = apiKey,
                ["HELAMEM_OPERATOR_KEY"] = null,
            },
            StandardErrorLines = line =>
            {
                lock (stderr)
                {
                    stderr.Add(line);
                }
            },
        }, NullLoggerFactory.Instance);
        return McpClient.CreateAsync(transport, loggerFactory: NullLoggerFactory.Instance);
    }

    /// <summary>
    /// Runs <c>helamem mcp</c>, writes <paramref name="requests"/> (one JSON-RPC message a line), waits for
    /// <paramref name="answers"/> lines on stdout, closes stdin and returns the exit code and both outputs.
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunRawAsync(string url, string? apiKey, string[] requests, int answers)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(RepositoryPaths.CliDll);
        info.ArgumentList.Add("mcp");
        info.Environment.Remove("HELAMEM_API_KEY");
        info.Environment.Remove("HELAMEM_OPERATOR_KEY");
        info.Environment["HELAMEM_URL"] = url;
        if (apiKey is not null)
        {
            info.Environment["HELAMEM_API_KEY"] = apiKey;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start helamem mcp.");
        using var deadline = new CancellationTokenSource(Deadline);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        var stdout = new System.Text.StringBuilder();
        try
        {
            foreach (var request in requests)
            {
                await process.StandardInput.WriteLineAsync(request);
            }

            await process.StandardInput.FlushAsync(deadline.Token);
            for (var read = 0; read < answers; read++)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                if (line is null)
                {
                    break;
                }

                stdout.AppendLine(line);
            }

            process.StandardInput.Close();
            stdout.Append(await process.StandardOutput.ReadToEndAsync(deadline.Token));
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, stdout.ToString(), await stderr);
    }
}
