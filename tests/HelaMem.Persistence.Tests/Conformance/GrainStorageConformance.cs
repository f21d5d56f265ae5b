using System.Text;
using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// The contract every <see cref="IGrainStorage"/> provider must meet (the remarks of the interface). A provider
/// joins the suite with one subclass that creates a fresh provider per test; xunit creates one instance of the
/// subclass per test, so each test gets its own provider.
/// </summary>
public abstract class GrainStorageConformance : IAsyncLifetime
{
    private IGrainStorage? _storage;

    protected ConformanceScope Scope { get; } = new();

    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("The provider is created in InitializeAsync.");

    /// <summary>Creates the provider under test (a fresh, empty one, or one shared by tests that keep to their scope).</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>Releases what <see cref="CreateStorageAsync"/> created beyond the provider (e.g. a temp directory).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _storage = await CreateStorageAsync();

    public async Task DisposeAsync()
    {
        if (_storage is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        await CleanupAsync();
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(StoredGrainState state) => Encoding.UTF8.GetString(state.Payload.Span);

    [Fact]
    public async Task Read_of_a_missing_key_returns_null()
    {
        Assert.Null(await Storage.ReadAsync(Scope.StateKey()));
    }

    [Fact]
    public async Task First_write_with_null_etag_stores_the_payload_and_returns_the_etag_a_read_sees()
    {
        var key = Scope.StateKey();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var eTag = await Storage.WriteAsync(key, Bytes("v1"), expectedETag: null);

        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.False(string.IsNullOrEmpty(eTag));
        Assert.Equal(eTag, stored.ETag);
        Assert.Equal("v1", Text(stored));
        Assert.InRange(stored.UpdatedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Write_with_the_current_etag_replaces_the_payload_and_changes_the_etag()
    {
        var key = Scope.StateKey();
        var first = await Storage.WriteAsync(key, Bytes("v1"), null);

        var second = await Storage.WriteAsync(key, Bytes("v2"), first);

        Assert.NotEqual(first, second);
        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(second, stored.ETag);
        Assert.Equal("v2", Text(stored));
    }

    [Fact]
    public async Task Write_with_null_etag_over_an_existing_record_fails_and_keeps_the_record()
    {
        var key = Scope.StateKey();
        var eTag = await Storage.WriteAsync(key, Bytes("original"), null);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("intruder"), null));

        Assert.Equal(key, error.Key);
        Assert.Null(error.ExpectedETag);
        Assert.Contains(key.ToString(), error.Message, StringComparison.Ordinal);
        await AssertStored(key, "original", eTag);
    }

    [Fact]
    public async Task Write_with_an_etag_for_a_missing_record_fails_and_creates_nothing()
    {
        var key = Scope.StateKey();
        var otherKeyETag = await Storage.WriteAsync(Scope.StateKey("other"), Bytes("x"), null);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("ghost"), otherKeyETag));

        Assert.Equal(otherKeyETag, error.ExpectedETag);
        Assert.Null(error.StoredETag);
        Assert.Null(await Storage.ReadAsync(key));
    }

    [Fact]
    public async Task Write_with_a_stale_etag_fails_names_the_key_and_overwrites_nothing()
    {
        var key = Scope.StateKey();
        var stale = await Storage.WriteAsync(key, Bytes("v1"), null);
        var current = await Storage.WriteAsync(key, Bytes("v2"), stale);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("stale writer"), stale));

        Assert.Equal(key, error.Key);
        Assert.Equal(stale, error.ExpectedETag);
        Assert.Contains(key.ToString(), error.Message, StringComparison.Ordinal);
        await AssertStored(key, "v2", current);
    }

    [Fact]
    public async Task Write_with_an_etag_that_was_never_issued_fails()
    {
        var key = Scope.StateKey();
        var eTag = await Storage.WriteAsync(key, Bytes("v1"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("forged"), "not-an-etag"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("forged"), ""));

        await AssertStored(key, "v1", eTag);
    }

    [Fact]
    public async Task Clear_with_the_current_etag_removes_the_record()
    {
        var key = Scope.StateKey();
        var eTag = await Storage.WriteAsync(key, Bytes("doomed"), null);

        await Storage.ClearAsync(key, eTag);

        Assert.Null(await Storage.ReadAsync(key));
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_fails_and_keeps_the_record()
    {
        var key = Scope.StateKey();
        var stale = await Storage.WriteAsync(key, Bytes("v1"), null);
        var current = await Storage.WriteAsync(key, Bytes("v2"), stale);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(key, stale));

        Assert.Equal(key, error.Key);
        await AssertStored(key, "v2", current);
    }

    [Fact]
    public async Task Clear_with_null_etag_of_an_existing_record_fails_and_keeps_it()
    {
        var key = Scope.StateKey();
        var eTag = await Storage.WriteAsync(key, Bytes("kept"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(key, null));

        await AssertStored(key, "kept", eTag);
    }

    [Fact]
    public async Task Clear_of_a_missing_record_succeeds_with_null_etag_and_fails_with_an_etag()
    {
        var key = Scope.StateKey();
        var otherETag = await Storage.WriteAsync(Scope.StateKey("other"), Bytes("x"), null);

        await Storage.ClearAsync(key, null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(key, otherETag));

        Assert.Null(await Storage.ReadAsync(key));
    }

    [Fact]
    public async Task Etags_never_repeat_not_even_after_clear_and_rewrite()
    {
        var key = Scope.StateKey();
        var seen = new List<string>();
        string? eTag = null;
        for (var round = 0; round < 3; round++)
        {
            for (var write = 0; write < 5; write++)
            {
                eTag = await Storage.WriteAsync(key, Bytes($"round {round} write {write}"), eTag);
                seen.Add(eTag);
            }

            await Storage.ClearAsync(key, eTag);
            eTag = null;
        }

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_etag_from_before_a_clear_cannot_write_the_recreated_record()
    {
        var key = Scope.StateKey();
        var beforeClear = await Storage.WriteAsync(key, Bytes("old life"), null);
        await Storage.ClearAsync(key, beforeClear);
        var recreated = await Storage.WriteAsync(key, Bytes("new life"), null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(key, Bytes("zombie"), beforeClear));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(key, beforeClear));

        await AssertStored(key, "new life", recreated);
    }

    [Fact]
    public async Task Empty_payload_round_trips_as_an_existing_empty_record()
    {
        var key = Scope.StateKey();
        var eTag = await Storage.WriteAsync(key, ReadOnlyMemory<byte>.Empty, null);

        var stored = await Storage.ReadAsync(key);

        Assert.NotNull(stored);
        Assert.Equal(eTag, stored.ETag);
        Assert.Equal(0, stored.Payload.Length);
    }

    [Fact]
    public async Task Large_payload_round_trips_byte_for_byte()
    {
        var key = Scope.StateKey();
        var payload = new byte[8 * 1024 * 1024 + 13];
        new Random(42).NextBytes(payload);

        var eTag = await Storage.WriteAsync(key, payload, null);

        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(eTag, stored.ETag);
        Assert.True(payload.AsSpan().SequenceEqual(stored.Payload.Span), "the large payload came back changed");
    }

    [Fact]
    public async Task Binary_payload_with_every_byte_value_round_trips()
    {
        var key = Scope.StateKey();
        var payload = Enumerable.Range(0, 256).Select(b => (byte)b).Reverse().ToArray();

        await Storage.WriteAsync(key, payload, null);

        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(payload, stored.Payload.ToArray());
    }

    [Fact]
    public async Task The_provider_keeps_its_own_copy_of_the_payload()
    {
        var key = Scope.StateKey();
        var buffer = Bytes("original");

        await Storage.WriteAsync(key, buffer, null);
        buffer.AsSpan().Fill((byte)'X');

        await AssertStoredText(key, "original");
    }

    [Fact]
    public async Task Keys_with_unicode_slashes_and_case_differences_are_distinct_records()
    {
        // Pairs that a provider joining the parts with '/' or '#', normalising unicode or ignoring case would mix up.
        GrainStateKey[] keys =
        [
            new($"{Scope.Prefix}/a", "b/c", "s"),
            new($"{Scope.Prefix}/a/b", "c", "s"),
            new($"{Scope.Prefix}/a", "b", "c/s"),
            new($"{Scope.Prefix}/a", "b#c", "s"),
            new($"{Scope.Prefix}/a", "B#c", "s"),
            new($"{Scope.Prefix}/a", "caf\u00e9", "s"),
            new($"{Scope.Prefix}/a", "cafe\u0301", "s"),
            new($"{Scope.Prefix}/a", "tenant/\u7528\u6237/\U0001F9E0 node 'quoted' \"double\" %_", "s"),
            new($"{Scope.Prefix}/a", "", "s"),
            new($"{Scope.Prefix}/a", " ", "s"),
        ];

        foreach (var key in keys)
        {
            await Storage.WriteAsync(key, Bytes(key.GrainType + "|" + key.GrainKey + "|" + key.StateName), null);
        }

        foreach (var key in keys)
        {
            await AssertStoredText(key, key.GrainType + "|" + key.GrainKey + "|" + key.StateName);
        }
    }

    [Fact]
    public async Task Named_states_of_one_grain_are_independent()
    {
        var profile = Scope.StateKey(stateName: "profile");
        var edges = Scope.StateKey(stateName: "edges");
        var profileETag = await Storage.WriteAsync(profile, Bytes("p"), null);
        await Storage.WriteAsync(edges, Bytes("e"), null);

        await Storage.ClearAsync(profile, profileETag);

        Assert.Null(await Storage.ReadAsync(profile));
        await AssertStoredText(edges, "e");
    }

    [Fact]
    public async Task Invalid_keys_are_rejected_with_an_argument_error_and_change_nothing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(null!, Bytes("x"), null));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(new GrainStateKey("", "k", "s"), Bytes("x"), null));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(new GrainStateKey(Scope.Prefix, "k", ""), Bytes("x"), null));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ReadAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ClearAsync(new GrainStateKey(Scope.Prefix, null!, "s"), null));

        Assert.Null(await Storage.ReadAsync(new GrainStateKey(Scope.Prefix, "k", "s")));
    }

    // Indexed rather than inline: xunit serializes theory data, which would repair lone surrogates before the test ran.
    private static readonly string[] NotStorable = ["lone high surrogate \ud83e", "lone low surrogate \udde0", "reversed pair \udde0\ud83e", "nul \0 inside"];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Key_parts_that_are_not_storable_unicode_are_rejected_and_change_nothing(int index)
    {
        var bad = NotStorable[index];
        GrainStateKey[] keys = [Scope.StateKey(grainKey: bad), Scope.StateKey(stateName: bad), new(Scope.Prefix + bad, "k", "s")];

        foreach (var key in keys)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(key, Bytes("x"), null));
            Assert.Contains("valid Unicode", error.Message, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ReadAsync(key));
            await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ClearAsync(key, null));
        }

        // The same text with the bad character replaced is a different, still-missing key: nothing was stored under it.
        Assert.Null(await Storage.ReadAsync(Scope.StateKey(grainKey: bad.Replace('\0', '\uFFFD').Replace('\ud83e', '\uFFFD').Replace('\udde0', '\uFFFD'))));
    }

    [Fact]
    public async Task Surrogate_pairs_are_valid_key_text()
    {
        var key = Scope.StateKey(grainKey: "\ud83e\udde0 brain", stateName: "\U0001F600");

        var eTag = await Storage.WriteAsync(key, Bytes("emoji"), null);

        await AssertStored(key, "emoji", eTag);
    }

    [Fact]
    public async Task A_write_cancelled_before_it_starts_throws_and_writes_nothing()
    {
        var key = Scope.StateKey();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Storage.WriteAsync(key, Bytes("x"), null, cancellation.Token));

        Assert.Null(await Storage.ReadAsync(key));
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_have_exactly_one_winner()
    {
        const int writers = 16;
        var key = Scope.StateKey();
        string? eTag = null;
        for (var round = 0; round < 5; round++)
        {
            // Every writer holds the same ETag; the gate releases them together so their writes race.
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var expected = eTag;
            var attempts = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
            {
                await gate.Task;
                var payload = $"round {round} writer {writer}";
                try
                {
                    return (Payload: payload, ETag: (string?)await Storage.WriteAsync(key, Bytes(payload), expected));
                }
                catch (InconsistentStateException error)
                {
                    Assert.Equal(key, error.Key);
                    return (Payload: payload, ETag: null);
                }
            })).ToArray();

            gate.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            var winner = Assert.Single(outcomes, outcome => outcome.ETag is not null);
            await AssertStored(key, winner.Payload, winner.ETag!);
            eTag = winner.ETag;
        }
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loops_form_one_unbroken_chain_of_versions()
    {
        const int writers = 8;
        const int attemptsPerWriter = 25;
        var key = Scope.StateKey();
        var successes = new System.Collections.Concurrent.ConcurrentBag<(string? Expected, string New, string Payload)>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < attemptsPerWriter; attempt++)
            {
                var current = await Storage.ReadAsync(key);
                var payload = $"writer {writer} attempt {attempt}";
                try
                {
                    var eTag = await Storage.WriteAsync(key, Bytes(payload), current?.ETag);
                    successes.Add((current?.ETag, eTag, payload));
                }
                catch (InconsistentStateException)
                {
                    // Lost the race for this version; the loop reads again.
                }
            }
        })));

        // Every success must have built on the previous success: following expected → new from null must visit
        // every successful write exactly once and end at the stored record. Two winners for one version would
        // fork the chain; a lost update would break it.
        var forks = successes.GroupBy(s => s.Expected ?? "<null>", StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(forks.Count == 0, $"several writes succeeded on the same version(s): {string.Join(", ", forks)}");
        var byExpected = successes.ToDictionary(s => s.Expected ?? "<null>", StringComparer.Ordinal);
        string? cursor = null;
        (string? Expected, string New, string Payload) last = default;
        for (var step = 0; step < successes.Count; step++)
        {
            Assert.True(byExpected.TryGetValue(cursor ?? "<null>", out last), $"the chain of versions breaks after step {step}");
            cursor = last.New;
        }

        Assert.NotEmpty(successes);
        await AssertStored(key, last.Payload!, last.New!);
    }

    [Fact]
    public async Task Concurrent_writers_to_different_keys_all_succeed()
    {
        const int keys = 300;
        var writes = Enumerable.Range(0, keys).Select(i => Task.Run(async () =>
        {
            var key = Scope.StateKey($"node-{i}");
            var first = await Storage.WriteAsync(key, Bytes($"first {i}"), null);
            var second = await Storage.WriteAsync(key, Bytes($"second {i}"), first);
            return (key, second);
        })).ToArray();

        var results = await Task.WhenAll(writes);

        foreach (var (key, eTag) in results)
        {
            var stored = await Storage.ReadAsync(key);
            Assert.NotNull(stored);
            Assert.Equal(eTag, stored.ETag);
            Assert.Equal($"second {key.GrainKey["node-".Length..]}", Text(stored));
        }
    }

    [Fact]
    public async Task A_conflict_in_a_crowd_of_concurrent_writes_fails_only_that_write()
    {
        const int keys = 100;
        var conflicted = Scope.StateKey("conflicted");
        var stale = await Storage.WriteAsync(conflicted, Bytes("v1"), null);
        var current = await Storage.WriteAsync(conflicted, Bytes("v2"), stale);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var good = Enumerable.Range(0, keys)
            .Select(i => Task.Run(async () => { await gate.Task; return await Storage.WriteAsync(Scope.StateKey($"bystander-{i}"), Bytes($"b{i}"), null); }))
            .ToArray();
        var bad = Task.Run(async () => { await gate.Task; return await Storage.WriteAsync(conflicted, Bytes("stale"), stale); });
        gate.SetResult();

        await Assert.ThrowsAsync<InconsistentStateException>(() => bad);
        await Task.WhenAll(good);
        await AssertStored(conflicted, "v2", current);
        for (var i = 0; i < keys; i++)
        {
            await AssertStoredText(Scope.StateKey($"bystander-{i}"), $"b{i}");
        }
    }

    protected async Task AssertStored(GrainStateKey key, string expectedText, string expectedETag)
    {
        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(expectedETag, stored.ETag);
        Assert.Equal(expectedText, Text(stored));
    }

    protected async Task AssertStoredText(GrainStateKey key, string expectedText)
    {
        var stored = await Storage.ReadAsync(key);
        Assert.NotNull(stored);
        Assert.Equal(expectedText, Text(stored));
    }
}
