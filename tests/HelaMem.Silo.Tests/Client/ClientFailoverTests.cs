using System.Net;
using System.Net.Sockets;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Client;

/// <summary>
/// A client given several silos' addresses moves to the next when one stops answering: connection refused (any call:
/// the request never left), a timeout or lost connection of a call safe to repeat, 503. It stays on the silo that
/// answers, and does not move for a rate-limit refusal or a client error.
/// </summary>
public sealed class ClientFailoverTests
{
    private const string OperatorKey = "e2e-operator-key-failover-0123456789";
    private const string Stats = "{\"user\":\"u\",\"nodes\":3,\"activeNodes\":3,\"archivedNodes\":0,\"step\":1,\"retrievals\":1,\"semanticItems\":0}";
    private static readonly Uri SiloA = new("http://silo-a.test/");
    private static readonly Uri SiloB = new("http://silo-b.test/");

    private static HelaMemClient Client(HttpMessageHandler handler, int retries = 3) =>
        new(new HttpClient(handler), new HelaMemClientOptions
        {
            BaseAddresses = [SiloA, SiloB],
            ApiKey = "hm.t.k.s",
            MaxRetries = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });

    // Per host: how it answers; and every request's host, in order.
    private sealed class Silos(Func<string, HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<string> Hosts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var host = request.RequestUri!.Host;
            lock (Hosts)
            {
                Hosts.Add(host);
            }

            return Task.FromResult(answer(host, request));
        }
    }

    private static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task A_refused_connection_moves_even_a_plain_post_to_the_next_silo_and_later_calls_stay_there()
    {
        using var silos = new Silos((host, _) => host == SiloA.Host ? throw Refused() : new HttpResponseMessage(HttpStatusCode.NoContent));
        using var client = Client(silos);

        // A usage report is a plain POST (no idempotency key), not safe to repeat after it reached a server; one whose
        // connection was refused never did.
        await client.ReportUsageAsync("u", new UsageReport(1, [1]));
        await client.ReportUsageAsync("u", new UsageReport(2, [2]));
        Assert.Equal([SiloA.Host, SiloB.Host, SiloB.Host], silos.Hosts);
    }

    [Fact]
    public async Task A_503_moves_to_the_next_silo_at_once_but_a_429_waits_on_the_same_one()
    {
        var unavailable = new Silos((host, _) => host == SiloA.Host
            ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
            : ScriptedHandler.Json(HttpStatusCode.OK, Stats));
        using (unavailable)
        using (var client = Client(unavailable))
        {
            Assert.Equal(3, (await client.GetUserStatsAsync("u")).Nodes);
            Assert.Equal([SiloA.Host, SiloB.Host], unavailable.Hosts);
        }

        var limited = 0;
        using var refusing = new Silos((_, _) => Interlocked.Increment(ref limited) == 1
            ? new HttpResponseMessage(HttpStatusCode.TooManyRequests)
            : ScriptedHandler.Json(HttpStatusCode.OK, Stats));
        using var limitedClient = Client(refusing);
        await limitedClient.GetUserStatsAsync("u");
        Assert.Equal([SiloA.Host, SiloA.Host], refusing.Hosts);
    }

    [Fact]
    public async Task A_lost_connection_of_a_plain_post_is_not_repeated_anywhere_and_client_errors_do_not_move()
    {
        // The connection broke after the request was sent: the server may have done it, so a plain POST fails.
        using var broken = new Silos((_, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely."));
        using (var client = Client(broken))
        {
            var error = await Assert.ThrowsAsync<HelaMemApiException>(() => client.ReportUsageAsync("u", new UsageReport(3, [1])));
            Assert.Contains("Cannot reach HelaMem at http://silo-a.test/", error.Message, StringComparison.Ordinal);
            Assert.Equal([SiloA.Host], broken.Hosts);
        }

        using var badRequest = new Silos((_, _) => ScriptedHandler.Json(HttpStatusCode.BadRequest, "{\"title\":\"Invalid request\",\"detail\":\"query must not be empty\"}"));
        using var badClient = Client(badRequest);
        await Assert.ThrowsAsync<HelaMemApiException>(() => badClient.GetUserStatsAsync("u"));
        Assert.Equal([SiloA.Host], badRequest.Hosts);
    }

    [Fact]
    public async Task When_every_silo_is_unreachable_the_error_names_the_last_one_tried_after_the_retries()
    {
        using var silos = new Silos((_, _) => throw Refused());
        using var client = Client(silos, retries: 3);
        var error = await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetUserStatsAsync("u"));
        Assert.StartsWith("Cannot reach HelaMem at http://silo-", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, silos.Hosts.Count);
        Assert.Equal([SiloA.Host, SiloB.Host, SiloA.Host, SiloB.Host], silos.Hosts);
    }

    [Fact]
    public void Addresses_parse_from_a_comma_separated_list_and_a_bad_one_is_named()
    {
        var options = HelaMemClientOptions.FromEnvironment(name => name == HelaMemClientOptions.UrlVariable ? "http://a:1, http://b:2/" : null);
        Assert.Equal([new Uri("http://a:1"), new Uri("http://b:2/")], options.Endpoints);
        Assert.Equal(new Uri("http://a:1"), options.BaseAddress);

        var single = HelaMemClientOptions.FromEnvironment(name => name == HelaMemClientOptions.UrlVariable ? "http://a:1" : null);
        Assert.Equal([new Uri("http://a:1")], single.Endpoints);

        var error = Assert.Throws<ArgumentException>(() => HelaMemClientOptions.ParseAddresses("http://a:1,ftp://b", "--url"));
        Assert.Equal("--url 'ftp://b' is not an absolute http:// or https:// address.", error.Message);
        Assert.Throws<ArgumentException>(() => HelaMemClientOptions.ParseAddresses(" , ", "--url"));
    }

    [Fact]
    public async Task The_cli_reaches_a_running_silo_past_an_address_nobody_listens_on()
    {
        using var data = new TempDirectory("helamem-e2e-failover");
        await using var silo = await SiloProcess.StartAsync(data.Path, OperatorKey);

        // A loopback port with no listener: the kernel refuses the connection, as for a silo that was killed.
        var dead = $"http://127.0.0.1:{ProcessRunner.FreePort()}";
        var environment = new Dictionary<string, string> { ["HELAMEM_URL"] = $"{dead},{silo.Url}", ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
        var (code, output) = await ProcessRunner.RunCliAsync(environment, "tenants", "create", "failover");
        Assert.True(code == 0, output);
        var apiKey = output.Trim().Split('\n')[^1].Trim();

        using var client = new HelaMemClient(new HelaMemClientOptions { BaseAddresses = [new Uri(dead), silo.Url], ApiKey = apiKey });
        await client.IngestAsync("u", Samples.Conversation());
        var found = await client.SearchAsync("u", new SearchRequest("Rex the puppy"));
        Assert.NotEmpty(found.Items);
    }
}
