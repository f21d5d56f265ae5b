using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Memories;

/// <summary>
/// Asynchronous ingest: 202 with a job once it is stored, chunked by the tenant's maxMessagesPerIngest, a status route,
/// idempotency keys that return the first job, bad input refused before anything is accepted, jobs gone with the user.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class AsyncIngestTests(SiloFactory silo)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private static IngestRequest Batch(int count, string prefix = "note") =>
        new([.. Enumerable.Range(0, count).Select(i => new MessageInput($"{prefix} {i}: the meeting moved to room {i % 7}", "Alice", ConversationId: "c"))]);

    [Fact]
    public async Task A_batch_larger_than_one_ingest_is_accepted_as_a_job_and_stored_in_order()
    {
        var (_, key, http) = await silo.CreateTenantAsync("async", new TenantQuotas(MaxMessagesPerIngest: 40));
        using var _ = http;
        using var client = silo.TypedClient(key);

        // Synchronously the batch is too large, and the refusal says how to send it.
        var tooLarge = await Assert.ThrowsAsync<HelaMemApiException>(() => client.IngestAsync("u", Batch(100)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains("respond-async", tooLarge.Message, StringComparison.Ordinal);

        var accepted = await http.PostWithPreferAsync("/v1/users/u/messages", Http.Json(Batch(100)), "respond-async");
        var job = await accepted.ReadAsync<IngestJob>(HttpStatusCode.Accepted);
        Assert.Equal($"/v1/users/u/jobs/{job.JobId}", accepted.Headers.Location?.OriginalString);
        Assert.Equal(["respond-async"], accepted.Headers.GetValues("Preference-Applied"));
        Assert.Equal((100, "u"), (job.Messages, job.User));
        Assert.Matches("^[0-9a-f]{32}$", job.JobId);

        var done = await client.WaitForIngestJobAsync("u", job.JobId, Poll);
        Assert.Equal(("succeeded", 100, 100L), (done.Status, done.MessagesDone, done.NodeCount));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), done.NodeIds);
        Assert.NotNull(done.CompletedAt);
        var memories = await client.ListMemoriesAsync("u", 0, 500);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"note {i}: the meeting moved to room {i % 7}"), memories.Items.Select(m => m.Content));
    }

    [Fact]
    public async Task A_retried_submission_with_the_same_key_returns_the_first_job()
    {
        var (_, key, http) = await silo.CreateTenantAsync("async");
        http.Dispose();
        using var client = silo.TypedClient(key);
        var first = await client.SubmitIngestAsync("u", Batch(10), "nightly-import-1");
        var again = await client.SubmitIngestAsync("u", Batch(10), "nightly-import-1");
        Assert.Equal(first.JobId, again.JobId);
        Assert.True(again.Replayed);
        await client.WaitForIngestJobAsync("u", first.JobId, Poll);
        Assert.Equal(10, (await client.ListMemoriesAsync("u")).Total);

        var conflict = await Assert.ThrowsAsync<HelaMemApiException>(() => client.SubmitIngestAsync("u", Batch(11), "nightly-import-1"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, conflict.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_refused_before_a_job_exists_and_unknown_jobs_are_404()
    {
        var (_, key, http) = await silo.CreateTenantAsync("async");
        using var _ = http;
        using var client = silo.TypedClient(key);

        var bad = await http.PostAsync(new Uri("/v1/users/u/messages?async=true", UriKind.Relative), Http.Json("""{"messages": [{"content": "fine"}, {"content": ""}]}"""));
        var problem = await bad.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("messages[1].content", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var huge = await http.PostAsync(new Uri("/v1/users/u/messages?async=true", UriKind.Relative), Http.Json(Batch(10_001, "x")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/v1/users/u/stats", UriKind.Relative))).StatusCode);

        var unknown = await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetIngestJobAsync("u", new string('a', 32)));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var malformed = await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetIngestJobAsync("u", "job-1"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Jobs_are_isolated_by_tenant_and_gone_with_their_user()
    {
        var (_, key, http) = await silo.CreateTenantAsync("async");
        http.Dispose();
        var (_, otherKey, otherHttp) = await silo.CreateTenantAsync("async");
        otherHttp.Dispose();
        using var client = silo.TypedClient(key);
        using var other = silo.TypedClient(otherKey);
        var job = await client.SubmitIngestAsync("u", Batch(5));
        await client.WaitForIngestJobAsync("u", job.JobId, Poll);

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => other.GetIngestJobAsync("u", job.JobId))).StatusCode);
        await client.DeleteUserAsync("u");
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<HelaMemApiException>(() => client.GetIngestJobAsync("u", job.JobId))).StatusCode);
    }
}
