using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;
using HelaMem.Grains.Distillation;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.State;
using HelaMem.Grains.Placement;
using Orleans;
using Orleans.Runtime;
using ClusterMember = HelaMem.Grains.Distillation.ClusterMember;
using Microsoft.Extensions.Logging;

namespace HelaMem.Grains.Consolidation;

/// <summary>
/// Reflective consolidation of one user graph. Nodes report themselves when their summed weight crosses δ_hub; a
/// durable reminder (or <see cref="RunNow"/>) distills every pending hub that is still a hub with its strongly
/// connected neighbours into semantic memory, distills new turns (the turn trigger, which does not wait for learned
/// weights), then runs the forgetting sweep, which archives (never deletes).
/// </summary>
[GrainType("consolidation")]
[UserGraphPlacement]
public sealed partial class ConsolidationGrain(
    [PersistentState("consolidation", HelaMemGrains.StorageName)] IPersistentState<ConsolidationState> stored,
    HelaMemGrainOptions options,
    IGraphEmbedder embedder,
    IDistiller distiller,
    ILogger<ConsolidationGrain> logger) : Grain, IConsolidationGrain, IRemindable, IDisposable
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "consolidate";

    private GraphKey _key;

    private ConsolidationState Consolidation => stored.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = GraphKey.Parse(GrainKey);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task ReportHub(long node)
    {
        if (node < 0 || Consolidation.DistilledHubs.Contains(node) || !Consolidation.PendingHubs.Add(node))
        {
            return;
        }

        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task EnsureScheduled()
    {
        if (await this.GetReminder(ReminderName) is null)
        {
            await this.RegisterOrUpdateReminder(ReminderName, options.ConsolidationPeriod, options.ConsolidationPeriod);
        }
    }

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        try
        {
            await RunAsync(new DateTimeOffset(DateTime.SpecifyKind(status.CurrentTickTime, DateTimeKind.Utc)), forget: true, flush: false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            GrainLog.ConsolidationFailed(logger, GrainKey, exception);
        }
    }

    /// <inheritdoc />
    /// <remarks>Someone asked for consolidation now: every new turn is distilled, whether or not its session ended.</remarks>
    public Task<ConsolidationReport> RunNow(DateTimeOffset now, bool forget) => RunAsync(now, forget, flush: true);

    // A run's work is abandoned when its user is deleted meanwhile (Clear cancels this; a new source replaces it).
    private CancellationTokenSource _stop = new();

    // The run under way, so Clear can wait for it to stop before it clears the state (never two storage operations at once).
    private Task _running = Task.CompletedTask;

    private async Task<ConsolidationReport> RunAsync(DateTimeOffset now, bool forget, bool flush)
    {
        var stop = _stop.Token;
        var run = RunCoreAsync(now, forget, flush, stop);
        _running = run;
        try
        {
            return await run;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The user was deleted while this run distilled: nothing was written, and there is nothing left to report.
            ConsolidationLog.RunAbandoned(logger, GrainKey);
            return new ConsolidationReport(0, 0, 0, 0, now);
        }
    }

    private async Task<ConsolidationReport> RunCoreAsync(DateTimeOffset now, bool forget, bool flush, CancellationToken stop)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var graph = GrainFactory.GetGrain<IUserGraphGrain>(GrainKey);
        var snapshot = await graph.Snapshot();
        var active = snapshot.ActiveNodes.ToHashSet();

        // Hubs whose one-way reports had not arrived yet when the graph took the snapshot (the same as ReportHub).
        foreach (var hub in snapshot.ReportedHubs ?? [])
        {
            if (!Consolidation.DistilledHubs.Contains(hub))
            {
                Consolidation.PendingHubs.Add(hub);
            }
        }

        var pending = Consolidation.PendingHubs.Count;
        var (distilled, added, hubsDeferred) = await DistillPendingHubsAsync(snapshot, active, stop);
        var turns = await DistillNewTurnsAsync(snapshot, now, flush, stop);
        added += turns.Changed;
        stop.ThrowIfCancellationRequested();
        var archived = forget ? await ForgetAsync(graph, snapshot, now) : 0;

        var report = new ConsolidationReport(pending, distilled, added, archived, now, turns.Distilled, turns.Waiting, hubsDeferred || turns.Deferred);
        Consolidation.Runs++;
        Consolidation.LastRun = report;
        stop.ThrowIfCancellationRequested();

        // Past this point the write completes even if a delete comes: Clear waits for it, then clears.
        await stored.WriteStateAsync(CancellationToken.None);
        _ = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).CountConsolidation(added);
        GrainLog.Consolidated(logger, GrainKey, distilled, added, archived);
        GrainMetrics.RecordConsolidation(System.Diagnostics.Stopwatch.GetElapsedTime(started), distilled, added, archived);
        return report;
    }

    /// <inheritdoc />
    public async Task<ConsolidationStatus> Status() =>
        new([.. Consolidation.PendingHubs], [.. Consolidation.DistilledHubs], Consolidation.Runs, Consolidation.LastRun, await this.GetReminder(ReminderName) is not null);

    /// <inheritdoc />
    /// <remarks>
    /// Interleaved with a run (see <see cref="IConsolidationGrain.Clear"/>): the run is told to stop, which cancels a
    /// distiller's provider call, and Clear waits for it to end before it touches the reminder and the state.
    /// </remarks>
    public async Task Clear()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (Exception)
        {
            // The run's own caller sees its failure; the user is being deleted either way.
        }

        _stop.Dispose();
        _stop = new CancellationTokenSource();
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
        if (stored.RecordExists)
        {
            await stored.ClearStateAsync();
        }

        DeactivateOnIdle();
    }

    /// <inheritdoc />
    /// <remarks>Orleans disposes the grain when the activation ends.</remarks>
    public void Dispose() => _stop.Dispose();

    private IMemoryNodeGrain Node(long node) => GrainFactory.GetGrain<IMemoryNodeGrain>(_key.Node(node).ToString());

    private async Task<(int Distilled, int Added, bool Deferred)> DistillPendingHubsAsync(GraphSnapshot snapshot, HashSet<long> active, CancellationToken stop)
    {
        var algorithm = options.Algorithm;
        var distilled = 0;
        var added = 0;
        foreach (var hub in Consolidation.PendingHubs.ToList())
        {
            var hubData = await Node(hub).Read(snapshot.Step);

            // Still a hub now (weights decay lazily), and still retrievable: otherwise it waits for its next report.
            if (hubData is null || !active.Contains(hub) || hubData.Degree <= algorithm.HubThreshold)
            {
                Consolidation.PendingHubs.Remove(hub);
                continue;
            }

            var cluster = await ReadClusterAsync(hubData, snapshot.Step, active);
            try
            {
                added += await DistillAndMergeAsync(cluster, snapshot, maxFacts: null, stop);
            }
            catch (DistillationDeferredException deferred)
            {
                // The hub stays pending; the hubs after it wait too, the provider is unlikely to answer them now.
                ConsolidationLog.HubDeferred(logger, GrainKey, hub, deferred);
                return (distilled, added, true);
            }

            await Node(hub).MarkDistilled();
            Consolidation.PendingHubs.Remove(hub);
            Consolidation.DistilledHubs.Add(hub);
            distilled++;
        }

        return (distilled, added, false);
    }

    // One distillation: the distiller reads the cluster beside the semantic memory so far, the items are embedded as the
    // graph embeds (common component removed) and merged; returns how many items were added or replaced.
    private async Task<int> DistillAndMergeAsync(IReadOnlyList<ClusterMember> cluster, GraphSnapshot snapshot, int? maxFacts, CancellationToken stop)
    {
        var semantic = GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey);
        var request = new DistillationRequest(_key.Tenant, _key.User, cluster, await semantic.Items(), options.Algorithm, maxFacts);
        var items = await distiller.DistillAsync(request, stop);
        stop.ThrowIfCancellationRequested();
        var kept = items.Where(item => !string.IsNullOrWhiteSpace(item.Text)).ToList();
        var vectors = await EmbedAsync([.. kept.Select(item => item.Text)], snapshot.CommonDirection);
        stop.ThrowIfCancellationRequested();
        var entries = kept.Select((item, i) => new SemanticEntry(item, vectors[i])).ToList();

        // Through the graph: it drops sources deleted while the distiller ran (or being deleted now), so no item
        // derived only from a deleted memory is re-added; and a search after this run sees the new items.
        return entries.Count == 0 ? 0 : await GrainFactory.GetGrain<IUserGraphGrain>(GrainKey).MergeSemantic(entries);
    }

    // The hub and its neighbours with weight ≥ ClusterMinWeight, strongest first (ties: lower id), as HubDetector.Cluster.
    private async Task<List<ClusterMember>> ReadClusterAsync(NodeData hub, long step, HashSet<long> active)
    {
        var algorithm = options.Algorithm;
        var neighbours = hub.Edges
            .Where(e => e.Weight >= algorithm.ClusterMinWeight && active.Contains(e.Neighbour))
            .OrderByDescending(e => e.Weight)
            .ThenBy(e => e.Neighbour)
            .Take(algorithm.MaxClusterSize - 1)
            .Select(e => e.Neighbour)
            .ToList();
        var reads = await Task.WhenAll(neighbours.Select(n => Node(n).Read(step)));
        var members = new List<ClusterMember> { ToMember(hub) };
        members.AddRange(reads.Where(r => r is not null).Select(r => ToMember(r!)));
        return members;
    }

    private async Task<int> ForgetAsync(IUserGraphGrain graph, GraphSnapshot snapshot, DateTimeOffset now)
    {
        var algorithm = options.Algorithm;
        var reads = await Task.WhenAll(snapshot.ActiveNodes.Select(n => Node(n).Read(snapshot.Step)));
        var forget = reads
            .Where(node => node is not null
                && node.LearnedDegree < algorithm.ForgettingMaxLearnedDegree
                && node.AccessCount == 0
                && now - node.Timestamp >= algorithm.ForgettingMinAge)
            .Select(node => node!.NodeId)
            .ToList();
        if (forget.Count == 0)
        {
            return 0;
        }

        await Task.WhenAll(forget.Select(n => Node(n).Archive()));
        return await graph.Archive(forget);
    }

    // The items' vectors in one call, with the graph's common component removed. An embedder that cannot embed now defers
    // the distillation as a distiller's own failure does: nothing of it is merged, and the next run tries again.
    private async Task<float[][]> EmbedAsync(string[] texts, IReadOnlyList<float> commonDirection)
    {
        if (texts.Length == 0)
        {
            return [];
        }

        float[][] vectors;
        try
        {
            vectors = await embedder.EmbedAllAsync(_key.Tenant, texts);
        }
        catch (EmbeddingUnavailableException unavailable)
        {
            throw new DistillationDeferredException($"The distilled items could not be embedded: {unavailable.Reason}", unavailable);
        }

        var direction = commonDirection.Count == embedder.Dimensions ? commonDirection.ToArray() : null;
        if (direction is not null)
        {
            foreach (var vector in vectors)
            {
                CommonComponent.Remove(vector, direction);
            }
        }

        return vectors;
    }

    private static ClusterMember ToMember(NodeData node) => new(node.NodeId, node.Content, node.Speaker, node.Timestamp, node.Embedding);
}
