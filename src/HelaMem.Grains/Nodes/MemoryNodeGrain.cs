using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core.Graph;
using HelaMem.Grains.Diagnostics;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.State;
using HelaMem.Grains.Placement;
using Orleans;
using Orleans.Runtime;
using Microsoft.Extensions.Logging;

namespace HelaMem.Grains.Nodes;

/// <summary>
/// One memory. Content and structure are written before a call that changes them returns; Hebbian updates are
/// applied in memory at once and written by a one-shot timer within <see cref="HelaMemGrainOptions.WeightFlushInterval"/>
/// (and on deactivation), together with the id of the newest update applied, so an update is never applied twice.
/// </summary>
[GrainType("memory-node")]
[UserGraphPlacement]
public sealed class MemoryNodeGrain(
    [PersistentState("node", HelaMemGrains.StorageName)] IPersistentState<NodeState> stored,
    HelaMemGrainOptions options,
    ILogger<MemoryNodeGrain> logger) : Grain, IMemoryNodeGrain
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    private NodeKey _key;
    private NodeEdges _edges = null!;
    private readonly OrderedWrites _writes = new();
    private IGrainTimer? _flushTimer;
    private bool _dirty;
    private bool _hubReported;

    private NodeState Node => stored.State;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = NodeKey.Parse(GrainKey);
        _edges = new NodeEdges(Node.Edges, HebbianParameters.From(options.Algorithm));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _flushTimer?.Dispose();
        if (_dirty)
        {
            await WriteAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task Create(NodeCreation creation)
    {
        ArgumentNullException.ThrowIfNull(creation);
        ArgumentNullException.ThrowIfNull(creation.Content);
        var state = new NodeState
        {
            Exists = true,
            Content = creation.Content,
            Speaker = creation.Speaker,
            Timestamp = creation.Timestamp,
            Keywords = [.. creation.Keywords],
            IndexedKeywords = [.. creation.IndexedKeywords],
            Embedding = [.. creation.Embedding],
            Metadata = creation.Metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null,
            Role = creation.Role,
            Conversation = creation.Conversation,
            CreatedAt = creation.CreatedAt,
            Version = 1,
        };

        // A node id is never reused, so an existing record here is an orphan of an ingest that failed before the
        // graph recorded it: it is replaced.
        stored.State = state;
        _edges = new NodeEdges(state.Edges, _edges.Parameters);
        foreach (var edge in creation.Edges)
        {
            _edges.AddStructural(checked((int)edge.Neighbour), edge.Weight);
        }

        await WriteAsync();
        ReportIfHub(0);
    }

    /// <inheritdoc />
    public async Task AddEdges(IReadOnlyList<StructuralEdge> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        RequireExists();
        RearmHubReport(Node.LastStep);
        foreach (var edge in edges)
        {
            _edges.AddStructural(checked((int)edge.Neighbour), edge.Weight);
        }

        await WriteAsync();
        ReportIfHub(Node.LastStep);
    }

    /// <inheritdoc />
    public Task<PullReply?> Pull(SpreadWave wave, long requiredReinforcementId)
    {
        ArgumentNullException.ThrowIfNull(wave);
        if (!Node.Exists)
        {
            return Task.FromResult<PullReply?>(new PullReply(0f, 0f));
        }

        if (Node.AppliedReinforcementId < requiredReinforcementId)
        {
            return Task.FromResult<PullReply?>(null);
        }

        // The core's own EdgeSet.Pull: the same float operations in the same order as the in-memory engine.
        var set = _edges.Set;
        var pulled = set.Pull(wave.BaseScores.Span, wave.Threshold, wave.Step, _edges.Parameters);
        return Task.FromResult<PullReply?>(new PullReply(pulled, set.LearnedDegree(wave.Step, _edges.Parameters)));
    }

    /// <inheritdoc />
    public Task<bool?> SettledHubReport(long requiredReinforcementId)
    {
        if (!Node.Exists)
        {
            return Task.FromResult<bool?>(false);
        }

        return Task.FromResult<bool?>(Node.AppliedReinforcementId < requiredReinforcementId ? null : _hubReported && !Node.Distilled && !Node.Archived);
    }

    /// <inheritdoc />
    public Task Reinforce(Reinforcement reinforcement)
    {
        ArgumentNullException.ThrowIfNull(reinforcement);
        if (!Node.Exists)
        {
            return Task.CompletedTask;
        }

        if (reinforcement.ReinforcementId <= Node.AppliedReinforcementId)
        {
            GrainLog.DuplicateReinforcement(logger, GrainKey, reinforcement.ReinforcementId, Node.AppliedReinforcementId);
            return Task.CompletedTask;
        }

        RearmHubReport(reinforcement.Step);
        var self = _key.Node;
        if (options.Algorithm.LearningRate > 0f && reinforcement.CoActivated.Contains(self))
        {
            foreach (var other in reinforcement.CoActivated)
            {
                if (other != self)
                {
                    _edges.Reinforce(checked((int)other), reinforcement.Step);
                }
            }
        }

        if (reinforcement.AccessedAt is { } accessedAt)
        {
            Node.AccessCount++;
            Node.LastAccess = accessedAt;
        }

        Node.AppliedReinforcementId = reinforcement.ReinforcementId;
        Node.LastStep = Math.Max(Node.LastStep, reinforcement.Step);
        MarkDirty();
        ReportIfHub(reinforcement.Step);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<NodeData?> Read(long atStep)
    {
        if (!Node.Exists)
        {
            return Task.FromResult<NodeData?>(null);
        }

        var set = _edges.Set;
        var parameters = _edges.Parameters;
        var edges = new EdgeData[set.Count];
        for (var position = 0; position < set.Count; position++)
        {
            var weight = set.WeightAt(position, atStep, parameters);
            var learned = set.LearnedWeightAt(position, atStep, parameters);
            edges[position] = new EdgeData(set.NeighbourAt(position), weight, learned, _edges.StructuralOf(set.NeighbourAt(position)));
        }

        return Task.FromResult<NodeData?>(new NodeData(
            _key.Node,
            Node.Content,
            Node.Speaker,
            Node.Timestamp,
            Node.Keywords,
            Node.Embedding,
            Node.IndexedKeywords,
            Node.AccessCount,
            Node.LastAccess,
            Node.Archived,
            edges,
            set.Degree(atStep, parameters),
            set.LearnedDegree(atStep, parameters),
            Node.AppliedReinforcementId,
            Node.LastStep,
            Node.Metadata?.AsReadOnly(),
            Node.Role,
            Node.Conversation,
            CurrentVersion));
    }

    /// <inheritdoc />
    public async Task<int> Revise(NodeRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(revision.Content);
        RequireExists();
        var replaced = new NodeVersionRecord
        {
            Version = CurrentVersion,
            Content = Node.Content,
            Metadata = Node.Metadata,
            At = Node.UpdatedAt ?? Node.CreatedAt,
        };

        (Node.History ??= []).Add(replaced);
        Node.Version = replaced.Version + 1;
        Node.UpdatedAt = revision.At;
        Node.Content = revision.Content;
        Node.Keywords = [.. revision.Keywords];
        Node.IndexedKeywords = [.. revision.IndexedKeywords];
        Node.Embedding = [.. revision.Embedding];
        Node.Metadata = revision.Metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata, StringComparer.Ordinal) : null;
        await WriteAsync();
        return Node.Version;
    }

    /// <inheritdoc />
    public async Task<bool> Reembed(IReadOnlyList<float> embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        if (!Node.Exists)
        {
            return false;
        }

        Node.Embedding = [.. embedding];
        await WriteAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryVersion>> History()
    {
        if (!Node.Exists)
        {
            return Task.FromResult<IReadOnlyList<MemoryVersion>>([]);
        }

        var versions = new List<MemoryVersion>((Node.History?.Count ?? 0) + 1);
        foreach (var old in Node.History ?? [])
        {
            versions.Add(new MemoryVersion(old.Version, old.Content, old.Metadata?.AsReadOnly(), EventOf(old.Version), old.At));
        }

        versions.Add(new MemoryVersion(CurrentVersion, Node.Content, Node.Metadata?.AsReadOnly(), EventOf(CurrentVersion), Node.UpdatedAt ?? Node.CreatedAt));
        return Task.FromResult<IReadOnlyList<MemoryVersion>>(versions);

        static MemoryVersionEvent EventOf(int version) => version <= 1 ? MemoryVersionEvent.Created : MemoryVersionEvent.Updated;
    }

    // States written before versions existed hold 0: they are the ingested version.
    private int CurrentVersion => Math.Max(1, Node.Version);

    /// <inheritdoc />
    public async Task<bool> Archive()
    {
        if (!Node.Exists || Node.Archived)
        {
            return false;
        }

        Node.Archived = true;
        await WriteAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task Flush()
    {
        if (_dirty)
        {
            await WriteAsync();
        }
    }

    /// <inheritdoc />
    public async Task<bool> Delete()
    {
        _flushTimer?.Dispose();
        _flushTimer = null;
        _dirty = false;
        var existed = Node.Exists;

        // After a flush that may be under way, so that it cannot write the node back.
        await _writes.RunAsync(async () =>
        {
            if (stored.RecordExists)
            {
                await stored.ClearStateAsync();
            }
        });

        _edges = new NodeEdges(stored.State.Edges, _edges.Parameters);
        DeactivateOnIdle();
        return existed;
    }

    /// <inheritdoc />
    public async Task MarkDistilled()
    {
        if (Node.Exists && !Node.Distilled)
        {
            Node.Distilled = true;
            await WriteAsync();
        }
    }

    private void RequireExists()
    {
        if (!Node.Exists)
        {
            throw new InvalidOperationException($"Memory node {GrainKey} does not exist.");
        }
    }

    // Tells consolidation once per crossing that this node's summed weight exceeds δ_hub; consolidation re-checks
    // the degree when it runs, as the core does.
    private void ReportIfHub(long atStep)
    {
        if (_hubReported || Node.Distilled || Node.Archived)
        {
            return;
        }

        if (_edges.Set.Degree(atStep, _edges.Parameters) > options.Algorithm.HubThreshold)
        {
            _hubReported = true;
            _ = GrainFactory.GetGrain<IConsolidationGrain>(_key.Graph.ToString()).ReportHub(_key.Node);
        }
    }

    // Called before a change that can raise the degree. Under the decaying rule a reported hub's degree can fall to
    // δ_hub or below between changes (weights decay with every step), and consolidation then drops it from its pending
    // hubs; it must report again when a change lifts it above δ_hub once more, or consolidation misses a hub that the
    // core's scan of every node distils. The degree only falls between changes, so checking before each change finds
    // every time it was at or below δ_hub. Costs a degree computation per change of a reported hub only.
    private void RearmHubReport(long atStep)
    {
        if (_hubReported && _edges.Set.Degree(atStep, _edges.Parameters) <= options.Algorithm.HubThreshold)
        {
            _hubReported = false;
        }
    }

    private void MarkDirty()
    {
        if (_dirty)
        {
            return;
        }

        _dirty = true;
        if (_flushTimer is null)
        {
            // Interleaving: requests (a spreading wave's pull above all) go on while the flush waits for the disk.
            _flushTimer = this.RegisterGrainTimer(FlushTickAsync, new GrainTimerCreationOptions(options.WeightFlushInterval, Timeout.InfiniteTimeSpan) { Interleave = true });
        }
        else
        {
            _flushTimer.Change(options.WeightFlushInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task FlushTickAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await WriteAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            GrainLog.FlushFailed(logger, GrainKey, exception);
            _dirty = false;
            MarkDirty();
        }
    }

    // Every write waits for the one before it (see OrderedWrites) and then writes the state as it is at that moment.
    private Task WriteAsync(CancellationToken cancellationToken = default) =>
        _writes.RunAsync(() =>
        {
            _dirty = false;
            return stored.WriteStateAsync(cancellationToken);
        });
}
