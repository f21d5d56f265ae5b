using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>
/// The contract every Orleans <see cref="IGrainStorage"/> provider of HelaMem must meet, through the
/// <see cref="IGrainState{T}"/> a grain's persistent state hands it. A provider joins the suite with one subclass
/// that creates a started provider per test; xunit creates one instance of the subclass per test.
/// </summary>
public abstract class GrainStorageConformance : IAsyncLifetime
{
    private IGrainStorage? _storage;

    protected ConformanceScope Scope { get; } = new();

    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("The provider is created in InitializeAsync.");

    /// <summary>Creates the provider under test, ready for calls (a fresh, empty one, or one shared by tests that keep to their scope).</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>The largest serialized state the provider under test accepts.</summary>
    protected abstract int MaxPayloadBytes { get; }

    /// <summary>
    /// Where the provider under test is known to differ from the contract (none for HelaMem's own providers). Each
    /// difference is documented in docs/storage.md, and the cases it touches assert the provider's actual behaviour
    /// instead, so that a provider that changes either way fails the suite.
    /// </summary>
    protected virtual GrainStorageDifferences Differences => GrainStorageDifferences.None;

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

    [Fact]
    public async Task Read_of_a_missing_record_resets_the_state_to_default_with_no_etag()
    {
        var state = await Storage.ReadAsync(Scope.Grain());

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal("", state.State!.Text);
        Assert.Empty(state.State!.Tags);
    }

    [Fact]
    public async Task Write_then_read_round_trips_every_member_and_the_etag()
    {
        var grain = Scope.Grain("tenant/user/7");
        var written = new GrainState<Note>(new Note { Text = "Rex loves the beach", Count = 3, Tags = ["dog", "beach"] });

        await Storage.WriteStateAsync("node", grain, written);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        var read = await Storage.ReadAsync(grain, "node");
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("Rex loves the beach", read.State!.Text);
        Assert.Equal(3, read.State!.Count);
        Assert.Equal(["dog", "beach"], read.State!.Tags);
    }

    [Fact]
    public async Task Write_with_the_current_etag_replaces_the_state_and_changes_the_etag()
    {
        var grain = Scope.Grain();
        var state = new GrainState<Note>(new Note { Text = "v1" });
        await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);
        var first = state.ETag;

        state.State!.Text = "v2";
        await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);

        Assert.NotEqual(first, state.ETag);
        await AssertStored(grain, "v2", state.ETag!);
    }

    [Fact]
    public async Task Write_with_null_etag_over_an_existing_record_fails_and_changes_nothing()
    {
        var grain = Scope.Grain();
        var eTag = await Storage.WriteAsync(grain, "original", null);
        var intruder = new GrainState<Note>(new Note { Text = "intruder" });

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, intruder));

        AssertReportsStoredETag(eTag, error);
        Assert.Null(error.CurrentEtag);
        Assert.Contains(grain.Key.ToString()!, error.Message, StringComparison.Ordinal);
        Assert.Null(intruder.ETag);
        Assert.False(intruder.RecordExists);
        await AssertStored(grain, "original", eTag);
    }

    [Fact]
    public async Task Write_with_an_etag_for_a_missing_record_fails_and_creates_nothing()
    {
        var grain = Scope.Grain();
        var otherGrainETag = await Storage.WriteAsync(Scope.Grain("other"), "x", null);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grain, "ghost", otherGrainETag));

        Assert.Equal(otherGrainETag, error.CurrentEtag);
        AssertReportsStoredETag(null, error);
        Assert.False((await Storage.ReadAsync(grain)).RecordExists);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_fails_names_the_grain_and_state_and_overwrites_nothing()
    {
        var grain = Scope.Grain("tenant/user");
        var stale = await Storage.WriteAsync(grain, "v1", null);
        var current = await Storage.WriteAsync(grain, "v2", stale);
        var staleWriter = new GrainState<Note>(new Note { Text = "stale writer" }) { ETag = stale, RecordExists = true };

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, staleWriter));

        AssertReportsStoredETag(current, error);
        Assert.Equal(stale, error.CurrentEtag);
        Assert.Contains(grain.Type.ToString()!, error.Message, StringComparison.Ordinal);
        Assert.Contains("tenant/user", error.Message, StringComparison.Ordinal);
        Assert.Contains(Differences.HasFlag(GrainStorageDifferences.ConflictsNameTheBlob) ? $"BlobName: {GrainStorageCalls.StateName}-{grain}" : $"'{GrainStorageCalls.StateName}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(stale, staleWriter.ETag);
        Assert.Equal("stale writer", staleWriter.State!.Text);
        await AssertStored(grain, "v2", current);
    }

    [Fact]
    public async Task Write_with_an_etag_that_was_never_issued_fails()
    {
        var grain = Scope.Grain();
        var eTag = await Storage.WriteAsync(grain, "v1", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grain, "forged", "not-an-etag"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grain, "forged", ""));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grain, "forged", "0" + eTag));

        await AssertStored(grain, "v1", eTag);
    }

    [Fact]
    public async Task Clear_with_the_current_etag_deletes_the_record_and_resets_the_grain_state()
    {
        var grain = Scope.Grain();
        var state = new GrainState<Note>(new Note { Text = "doomed", Count = 9 });
        await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);

        await Storage.ClearStateAsync(GrainStorageCalls.StateName, grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.Text);
        Assert.Equal(0, state.State!.Count);
        var read = await Storage.ReadAsync(grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_fails_and_changes_nothing()
    {
        var grain = Scope.Grain();
        var stale = await Storage.WriteAsync(grain, "v1", null);
        var current = await Storage.WriteAsync(grain, "v2", stale);
        var staleClearer = new GrainState<Note>(new Note { Text = "what the clearer holds" }) { ETag = stale, RecordExists = true };

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(GrainStorageCalls.StateName, grain, staleClearer));

        AssertReportsStoredETag(current, error);
        Assert.Equal(stale, error.CurrentEtag);
        Assert.Contains(grain.Key.ToString()!, error.Message, StringComparison.Ordinal);
        Assert.Equal(stale, staleClearer.ETag);
        Assert.True(staleClearer.RecordExists);
        Assert.Equal("what the clearer holds", staleClearer.State!.Text);
        await AssertStored(grain, "v2", current);
    }

    [Fact]
    public async Task Clear_with_null_etag_of_an_existing_record_fails_and_keeps_it()
    {
        var grain = Scope.Grain();
        var eTag = await Storage.WriteAsync(grain, "kept", null);

        if (Differences.HasFlag(GrainStorageDifferences.ClearWithNullETagDeletesAnExistingRecord))
        {
            await Storage.ClearAsync(grain, null);
            Assert.Null(await Storage.ReadTextAsync(grain));
            return;
        }

        var error = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(grain, null));

        AssertReportsStoredETag(eTag, error);
        await AssertStored(grain, "kept", eTag);
    }

    [Fact]
    public async Task Clear_of_a_missing_record_succeeds_with_null_etag_and_fails_with_an_etag()
    {
        var grain = Scope.Grain();
        var otherETag = await Storage.WriteAsync(Scope.Grain("other"), "x", null);

        await Storage.ClearAsync(grain, null);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(grain, otherETag));

        Assert.False((await Storage.ReadAsync(grain)).RecordExists);
        await AssertStoredText(Scope.Grain("other"), "x");
    }

    [Fact]
    public async Task Clear_then_rewrite_through_the_same_grain_state_creates_a_new_record()
    {
        var grain = Scope.Grain();
        var state = new GrainState<Note>(new Note { Text = "first life" });
        await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);
        var firstLife = state.ETag;
        await Storage.ClearStateAsync(GrainStorageCalls.StateName, grain, state);

        state.State!.Text = "second life";
        await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);

        Assert.True(state.RecordExists);
        Assert.NotEqual(firstLife, state.ETag);
        await AssertStored(grain, "second life", state.ETag!);
    }

    [Fact]
    public async Task Etags_never_repeat_not_even_after_clear_and_rewrite()
    {
        var grain = Scope.Grain();
        var seen = new List<string>();
        string? eTag = null;
        for (var round = 0; round < 3; round++)
        {
            for (var write = 0; write < 5; write++)
            {
                eTag = await Storage.WriteAsync(grain, $"round {round} write {write}", eTag);
                seen.Add(eTag);
            }

            await Storage.ClearAsync(grain, eTag);
            eTag = null;
        }

        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task An_etag_from_before_a_clear_cannot_write_or_clear_the_recreated_record()
    {
        var grain = Scope.Grain();
        var beforeClear = await Storage.WriteAsync(grain, "old life", null);
        await Storage.ClearAsync(grain, beforeClear);
        var recreated = await Storage.WriteAsync(grain, "new life", null);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grain, "zombie", beforeClear));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearAsync(grain, beforeClear));

        await AssertStored(grain, "new life", recreated);
    }

    [Fact]
    public async Task A_large_state_round_trips()
    {
        var grain = Scope.Grain();
        var random = new Random(42);
        var text = string.Create(4 * 1024 * 1024, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next(0x20, 0x7F);
            }
        });

        var eTag = await Storage.WriteAsync(grain, text, null);

        var read = await Storage.ReadAsync(grain);
        Assert.Equal(eTag, read.ETag);
        Assert.True(string.Equals(text, read.State!.Text, StringComparison.Ordinal), "the large state came back changed");
    }

    [Fact]
    public async Task A_state_larger_than_the_provider_accepts_is_refused_and_changes_nothing()
    {
        var grain = Scope.Grain();
        var eTag = await Storage.WriteAsync(grain, "small", null);
        var huge = new GrainState<Note>(new Note { Text = new string('x', MaxPayloadBytes) }) { ETag = eTag, RecordExists = true };
        if (Differences.HasFlag(GrainStorageDifferences.NoPayloadLimit))
        {
            // No limit of its own: a state of MaxPayloadBytes is stored whole.
            await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, huge);
            Assert.Equal(MaxPayloadBytes, (await Storage.ReadTextAsync(grain))!.Length);
            return;
        }

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, huge));

        Assert.Contains(grain.Key.ToString()!, error.Message, StringComparison.Ordinal);
        Assert.Equal(eTag, huge.ETag);
        await AssertStored(grain, "small", eTag);
    }

    [Fact]
    public async Task Text_with_every_kind_of_character_round_trips()
    {
        var grain = Scope.Grain();
        var text = "quotes \" ' backslash \\ newline \n tab \t nul \0 emoji \U0001F9E0 accents caf\u00e9 cafe\u0301 cjk \u7528\u6237";

        await Storage.WriteAsync(grain, text, null);

        await AssertStoredText(grain, text);
    }

    [Fact]
    public async Task Grains_whose_type_and_key_join_to_the_same_text_are_distinct_records()
    {
        // Pairs a provider joining type and key with '/' (as GrainId.ToString does), normalising unicode or
        // ignoring case would mix up.
        GrainId[] grains =
        [
            GrainId.Create($"{Scope.Prefix}/a", "b/c"),
            GrainId.Create($"{Scope.Prefix}/a/b", "c"),
            GrainId.Create($"{Scope.Prefix}/a", "b#c"),
            GrainId.Create($"{Scope.Prefix}/a", "B#c"),
            GrainId.Create($"{Scope.Prefix}/a", "caf\u00e9"),
            GrainId.Create($"{Scope.Prefix}/a", "cafe\u0301"),
            GrainId.Create($"{Scope.Prefix}/a", "tenant/\u7528\u6237/\U0001F9E0 node 'quoted' \"double\" %_"),
        ];

        if (Differences.HasFlag(GrainStorageDifferences.TypeAndKeyJoinedWithSlash))
        {
            // The first two join to the same "type/key" text and so share one record: the second create finds it.
            await Storage.WriteAsync(grains[0], "first", null);
            await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteAsync(grains[1], "second", null));
            await AssertStoredText(grains[1], "first");
            grains = grains[2..];
        }

        foreach (var grain in grains)
        {
            await Storage.WriteAsync(grain, $"{grain.Type}|{grain.Key}", null);
        }

        foreach (var grain in grains)
        {
            await AssertStoredText(grain, $"{grain.Type}|{grain.Key}");
        }
    }

    [Fact]
    public async Task Named_states_of_one_grain_are_independent()
    {
        var grain = Scope.Grain();
        var profileETag = await Storage.WriteAsync(grain, "p", null, stateName: "profile");
        await Storage.WriteAsync(grain, "e", null, stateName: "edges");

        await Storage.ClearAsync(grain, profileETag, stateName: "profile");

        Assert.Null(await Storage.ReadTextAsync(grain, "profile"));
        Assert.Equal("e", await Storage.ReadTextAsync(grain, "edges"));
    }

    [Fact]
    public async Task Invalid_arguments_are_rejected_with_an_argument_error_and_change_nothing()
    {
        var grain = Scope.Grain();
        var note = new GrainState<Note>(new Note { Text = "x" });
        if (Differences.HasFlag(GrainStorageDifferences.NoArgumentValidation))
        {
            // Orleans' runtime never passes these; a provider that does not check them stores them as given.
            await Storage.WriteStateAsync("", grain, note);
            Assert.Equal("x", await Storage.ReadTextAsync(grain, ""));
            await Storage.WriteAsync(Scope.Grain("nul \0 inside"), "y", null);
            Assert.Equal("y", await Storage.ReadTextAsync(Scope.Grain("nul \0 inside")));
            return;
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync(GrainStorageCalls.StateName, default, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync("", grain, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync<Note>(GrainStorageCalls.StateName, grain, null!));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ReadStateAsync(GrainStorageCalls.StateName, default, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.ClearStateAsync(null!, grain, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync("lone high surrogate \ud83e", grain, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync("nul \0 inside", grain, note));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteStateAsync(GrainStorageCalls.StateName, Scope.Grain("nul \0 inside"), note));

        Assert.Null(note.ETag);
        Assert.Null(await Storage.ReadTextAsync(grain));
    }

    [Fact]
    public async Task Of_concurrent_writers_holding_the_same_etag_exactly_one_wins()
    {
        const int writers = 16;
        var grain = Scope.Grain();
        string? eTag = null;

        // Round 0 races inserts (null ETag), later rounds race updates of the same version.
        for (var round = 0; round < 5; round++)
        {
            var expected = eTag;
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
            {
                await gate.Task;
                var state = new GrainState<Note>(new Note { Text = $"round {round} writer {writer}" }) { ETag = expected, RecordExists = expected is not null };
                try
                {
                    await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);
                    return (state.State!.Text, ETag: (string?)state.ETag);
                }
                catch (InconsistentStateException error)
                {
                    Assert.Equal(expected, error.CurrentEtag);
                    Assert.Equal(expected, state.ETag);
                    return (state.State!.Text, ETag: null);
                }
            })).ToArray();

            gate.SetResult();
            var outcomes = await Task.WhenAll(attempts);

            var winner = Assert.Single(outcomes, outcome => outcome.ETag is not null);
            await AssertStored(grain, winner.Text, winner.ETag!);
            eTag = winner.ETag;
        }
    }

    [Fact]
    public async Task Concurrent_read_modify_write_loops_form_one_unbroken_chain_of_versions()
    {
        const int writers = 8;
        const int attemptsPerWriter = 25;
        var grain = Scope.Grain();
        var successes = new System.Collections.Concurrent.ConcurrentBag<(string? Expected, string New, string Text)>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var attempt = 0; attempt < attemptsPerWriter; attempt++)
            {
                var state = await Storage.ReadAsync(grain);
                var expected = state.ETag;
                state.State!.Text = $"writer {writer} attempt {attempt}";
                try
                {
                    await Storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);
                    successes.Add((expected, state.ETag!, state.State!.Text));
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
        (string? Expected, string New, string Text) last = default;
        for (var step = 0; step < successes.Count; step++)
        {
            Assert.True(byExpected.TryGetValue(cursor ?? "<null>", out last), $"the chain of versions breaks after step {step}");
            cursor = last.New;
        }

        Assert.NotEmpty(successes);
        await AssertStored(grain, last.Text!, last.New!);
    }

    [Fact]
    public async Task Concurrent_writers_to_different_grains_all_succeed()
    {
        const int grains = 300;
        var writes = Enumerable.Range(0, grains).Select(i => Task.Run(async () =>
        {
            var grain = Scope.Grain($"node-{i}");
            var first = await Storage.WriteAsync(grain, $"first {i}", null);
            var second = await Storage.WriteAsync(grain, $"second {i}", first);
            return (i, grain, second);
        })).ToArray();

        var results = await Task.WhenAll(writes);

        foreach (var (i, grain, eTag) in results)
        {
            await AssertStored(grain, $"second {i}", eTag);
        }
    }

    [Fact]
    public async Task A_conflict_in_a_crowd_of_concurrent_writes_fails_only_that_write()
    {
        const int bystanders = 100;
        var conflicted = Scope.Grain("conflicted");
        var stale = await Storage.WriteAsync(conflicted, "v1", null);
        var current = await Storage.WriteAsync(conflicted, "v2", stale);

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var good = Enumerable.Range(0, bystanders)
            .Select(i => Task.Run(async () => { await gate.Task; return await Storage.WriteAsync(Scope.Grain($"bystander-{i}"), $"b{i}", null); }))
            .ToArray();
        var bad = Task.Run(async () => { await gate.Task; return await Storage.WriteAsync(conflicted, "stale", stale); });
        gate.SetResult();

        await Assert.ThrowsAsync<InconsistentStateException>(() => bad);
        await Task.WhenAll(good);
        await AssertStored(conflicted, "v2", current);
        for (var i = 0; i < bystanders; i++)
        {
            await AssertStoredText(Scope.Grain($"bystander-{i}"), $"b{i}");
        }
    }

    /// <summary>The ETag a conflict reports as stored (null: no record), or Orleans' placeholder when the provider does not read it.</summary>
    protected void AssertReportsStoredETag(string? expected, InconsistentStateException error) =>
        Assert.Equal(Differences.HasFlag(GrainStorageDifferences.ConflictsDoNotReportTheStoredETag) ? "Unknown" : expected, error.StoredEtag);

    protected async Task AssertStored(GrainId grain, string expectedText, string expectedETag)
    {
        var read = await Storage.ReadAsync(grain);
        Assert.True(read.RecordExists, $"nothing is stored for {grain}");
        Assert.Equal(expectedETag, read.ETag);
        Assert.Equal(expectedText, read.State!.Text);
    }

    protected async Task AssertStoredText(GrainId grain, string expectedText) =>
        Assert.Equal(expectedText, await Storage.ReadTextAsync(grain));
}
