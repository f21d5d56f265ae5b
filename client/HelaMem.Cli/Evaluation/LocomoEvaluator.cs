using System.Diagnostics;
using HelaMem.Abstractions.Contracts;
using HelaMem.Cli.Answering;
using HelaMem.Cli.Locomo;
using HelaMem.Core;
using HelaMem.Core.Baselines;
using HelaMem.Core.Context;
using HelaMem.Core.Memory;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;
using HelaMem.Grains.Sessions;
using HelaMem.Testing;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// Runs one method over LoCoMo conversations: one node per turn, the questions in file order, conversation by
/// conversation (HeLa-Mem learns on reads, so order matters), and tallies evidence recall, items, context size
/// and the latency of each retrieval call (query embedding included, evaluation bookkeeping excluded).
/// </summary>
public sealed partial class LocomoEvaluator
{
    /// <summary>Consolidation runs after every this many questions (the reminder of the product, made deterministic).</summary>
    public const int ConsolidationInterval = 10;

    private readonly ISentenceEmbedder _embedder;
    private readonly EvalEngine _engine;
    private readonly ServerEvalTarget? _server;

    /// <summary>Creates an evaluator over <paramref name="embedder"/> running HeLa-Mem on <paramref name="engine"/> (core or grains).</summary>
    public LocomoEvaluator(ISentenceEmbedder embedder, EvalEngine engine = EvalEngine.Core)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        if (engine == EvalEngine.Server)
        {
            throw new ArgumentException("The server engine needs the server: use the constructor that takes a ServerEvalTarget.", nameof(engine));
        }

        _embedder = embedder;
        _engine = engine;
    }

    /// <summary>
    /// Creates an evaluator running HeLa-Mem on <paramref name="server"/> through its HTTP API; <paramref name="embedder"/>
    /// serves the baselines only (the server embeds with its own).
    /// </summary>
    public LocomoEvaluator(ISentenceEmbedder embedder, ServerEvalTarget server)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(server);
        _embedder = embedder;
        _engine = EvalEngine.Server;
        _server = server;
    }

    /// <summary>
    /// Evaluates <paramref name="run"/>; <paramref name="questionDone"/> is told after every question. With
    /// <paramref name="answers"/>, each question is also answered from its retrieved context and scored (outside the
    /// timed retrieval); with <paramref name="maxQuestions"/>, the run stops after that many questions.
    /// </summary>
    public MethodSummary Evaluate(
        MethodRun run,
        IReadOnlyList<LocomoConversation> conversations,
        Action? questionDone = null,
        AnswerSession? answers = null,
        int? maxQuestions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(conversations);
        var tally = new RecallTally();
        var latencies = new List<double>();
        var firstLatencies = new List<double>();
        var warmLatencies = new List<double>();
        long items = 0;
        long tokens = 0;
        var questions = 0;

        var engine = run.Method == EvalMethod.Hela ? _engine : EvalEngine.Core;
        using var cluster = engine == EvalEngine.Grains ? GrainCluster.Start(_embedder, run.Options) : null;
        foreach (var conversation in conversations)
        {
            if (questions >= maxQuestions)
            {
                break;
            }

            using var session = run.Method != EvalMethod.Hela
                ? new BaselineSession(_embedder, run, conversation)
                : cluster is not null
                    ? new GrainHelaSession(cluster.Cluster, run, conversation)
                    : engine == EvalEngine.Server
                        ? new ServerHelaSession(_server!, run, conversation, cancellationToken)
                        : (IRetrievalSession)new HelaSession(_embedder, run, conversation);
            for (var q = 0; q < conversation.Questions.Count && !(questions >= maxQuestions); q++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var question = conversation.Questions[q];
                var started = Stopwatch.GetTimestamp();
                var (retrieved, context, contextTokens) = session.Retrieve(question.Text);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                latencies.Add(elapsed);
                (q == 0 ? firstLatencies : warmLatencies).Add(elapsed);

                var retrievedIds = retrieved.Select(i => conversation.Turns[i].DiaId).ToHashSet(StringComparer.Ordinal);
                var recall = tally.Add(question.Category, question.Evidence, retrievedIds);
                answers?.Add(conversation.Id, q, question, context, contextTokens, recall, cancellationToken);
                items += retrieved.Count;
                tokens += contextTokens;
                questions++;
                session.AfterQuestion(q + 1, [.. retrieved.Where(i => question.Evidence.Contains(conversation.Turns[i].DiaId))]);
                questionDone?.Invoke();
            }
        }

        var divisor = Math.Max(1, questions);
        return new MethodSummary(
            CliNames.Of(run.Method),
            run.Method == EvalMethod.Hela ? run.AblationLabel : CliNames.Of(EvalAblation.None),
            CliNames.Of(engine),
            questions,
            new RecallSummary(Round(tally.Percent(1)), Round(tally.Percent(2)), Round(tally.Percent(3)), Round(tally.Percent(4)), Round(tally.Percent(5)), Round(tally.PercentMean1To4())),
            Math.Round((double)items / divisor, 2),
            Math.Round((double)tokens / divisor, 1),
            new LatencySummary(Math.Round(Percentiles.Of(latencies, 50), 4), Math.Round(Percentiles.Of(latencies, 99), 4)),
            [.. conversations.Select(c => c.Id)])
        {
            Answer = answers?.Summary(),
            LatencySplit = new LatencySplit(
                firstLatencies.Count,
                Math.Round(firstLatencies.Count == 0 ? 0 : firstLatencies.Average(), 4),
                Math.Round(firstLatencies.Count == 0 ? 0 : firstLatencies.Max(), 4),
                warmLatencies.Count,
                Math.Round(Percentiles.Of(warmLatencies, 50), 4),
                Math.Round(Percentiles.Of(warmLatencies, 99), 4)),
        };
    }

    private static double? Round(double? value) => value is null ? null : Math.Round(value.Value, 2);

    /// <summary>One method on one conversation; disposing releases what the session holds (a server session deletes its user).</summary>
    private interface IRetrievalSession : IDisposable
    {
        /// <summary>The retrieved turns, the assembled context text handed to a model, and its size in words.</summary>
        (IReadOnlyList<int> Nodes, string Context, int ContextTokens) Retrieve(string question);

        /// <summary>Bookkeeping after a question: <paramref name="used"/> are the retrieved turns that were evidence.</summary>
        void AfterQuestion(int answered, int[] used);
    }

    /// <summary>HeLa-Mem on one conversation: a memory graph fed turn by turn.</summary>
    private sealed class HelaSession : IRetrievalSession
    {
        public void Dispose()
        {
            // Nothing outlives the conversation but memory the collector takes back.
        }

        private readonly MemoryGraph _graph;
        private readonly DateTimeOffset _now;
        private readonly bool _consolidate;
        private readonly bool _useFeedback;

        public HelaSession(ISentenceEmbedder embedder, MethodRun run, LocomoConversation conversation)
        {
            _graph = new MemoryGraph(embedder, run.Options);

            // The whole conversation in one call: a neural embedder runs it in batches.
            var vectors = embedder.EmbedAll([.. conversation.Turns.Select(t => t.NodeText)]);
            for (var i = 0; i < conversation.Turns.Count; i++)
            {
                // One thread per conversation: temporal edges run across sessions, as in the reference.
                var turn = conversation.Turns[i];
                _graph.Add(new NewMemory(turn.NodeText, turn.Speaker, turn.Time, conversation.Id), vectors[i]);
            }

            _graph.RefreshCommonComponent();
            _now = conversation.End;
            _consolidate = run.Ablation != EvalAblation.NoConsolidation;

            // Without co-retrieval learning the protocol feeds usage back instead: the agent reports the retrieved
            // items it used, here the ones that were evidence (an oracle user; reported apart in the docs).
            _useFeedback = !run.Options.ReinforceOnRetrieve;
        }

        public (IReadOnlyList<int> Nodes, string Context, int ContextTokens) Retrieve(string question)
        {
            var result = _graph.Retrieve(question, _now);
            return ([.. result.Memories.Select(m => m.Node.Index)], result.Context.Text, result.Context.Tokens);
        }

        public void AfterQuestion(int answered, int[] used)
        {
            if (_useFeedback && used.Length > 1)
            {
                _graph.Reinforce(used);
            }

            if (_consolidate && answered % ConsolidationInterval == 0)
            {
                _graph.Consolidate();
            }
        }
    }

    /// <summary>
    /// An in-process Orleans cluster (one silo, Orleans' in-memory storage: nothing is kept) with the memory grains
    /// configured with one run's options.
    /// </summary>
    private sealed class GrainCluster : IDisposable
    {
        private GrainCluster(HelaMemTestCluster cluster) => Cluster = cluster;

        public HelaMemTestCluster Cluster { get; }

        public static GrainCluster Start(ISentenceEmbedder embedder, HelaMemOptions options)
        {
            // No default retrieval profile: the tenant runs "paper", which is the configured algorithm unchanged, so
            // the run's options (variants and ablation applied) are exactly the core's.
            var cluster = new HelaMemTestClusterBuilder()
                .UseOrleansMemoryStorage()
                .WithoutLogFiles()
                .WithEmbedder(embedder)
                .ConfigureGrains(o =>
                {
                    o.Algorithm = options;

                    // The evaluation consolidates at fixed points (RunNow), as the core path does; no reminder.
                    o.ScheduleConsolidation = false;

                    // Hubs only, as the core's consolidation: the turn trigger is measured by eval semantic.
                    o.ConsolidateEveryTurns = 0;
                })
                .DeployAsync().GetAwaiter().GetResult();
            return new GrainCluster(cluster);
        }

        public void Dispose() => Cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>HeLa-Mem on one conversation through the grains: one user graph per conversation, same protocol as <see cref="HelaSession"/>.</summary>
    private sealed class GrainHelaSession : IRetrievalSession
    {
        public void Dispose()
        {
            // Nothing outlives the conversation but memory the collector takes back.
        }

        private const int IngestBatch = 500;

        private readonly GrainRetrievalSession _session;
        private readonly Dictionary<long, int> _turnOf = [];
        private readonly List<long> _nodeOf = [];
        private readonly DateTimeOffset _now;
        private readonly bool _consolidate;
        private readonly bool _useFeedback;
        private long _lastRetrieval;

        public GrainHelaSession(HelaMemTestCluster cluster, MethodRun run, LocomoConversation conversation)
        {
            _session = cluster.Session("locomo", $"conv-{conversation.Id}");

            // One thread per conversation, as the core path: temporal edges run across sessions.
            var messages = conversation.Turns.Select(t => new IngestMessage(t.NodeText, t.Speaker, t.Time, conversation.Id));
            var ids = _session.IngestAsync(messages, IngestBatch).GetAwaiter().GetResult();
            if (ids.Count != conversation.Turns.Count)
            {
                throw new InvalidOperationException($"conversation {conversation.Id}: the user graph acknowledged {ids.Count} of {conversation.Turns.Count} turns");
            }

            for (var i = 0; i < ids.Count; i++)
            {
                _turnOf[ids[i]] = i;
                _nodeOf.Add(ids[i]);
            }

            _now = conversation.End;
            _consolidate = run.Ablation != EvalAblation.NoConsolidation;
            _useFeedback = !run.Options.ReinforceOnRetrieve;
        }

        public (IReadOnlyList<int> Nodes, string Context, int ContextTokens) Retrieve(string question)
        {
            var response = _session.RetrieveAsync(question, _now).GetAwaiter().GetResult();
            _lastRetrieval = response.RetrievalId;
            return ([.. response.Items.Select(i => _turnOf[i.NodeId])], response.Context, response.ContextTokens);
        }

        public void AfterQuestion(int answered, int[] used)
        {
            if (_useFeedback && used.Length > 1)
            {
                _session.ReportUsageAsync(_lastRetrieval, [.. used.Select(u => _nodeOf[u])]).GetAwaiter().GetResult();
            }

            if (_consolidate && answered % ConsolidationInterval == 0)
            {
                _session.ConsolidateAsync(_now).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>A baseline on one conversation, over the same nodes and vectors.</summary>
    private sealed class BaselineSession : IRetrievalSession
    {
        public void Dispose()
        {
            // Nothing outlives the conversation but memory the collector takes back.
        }

        private readonly ISentenceEmbedder _embedder;
        private readonly BaselineMethod _method;
        private readonly BaselineRetriever _retriever;
        private readonly List<MemoryNode> _nodes = [];
        private readonly float[] _query;
        private readonly int[] _top;

        public BaselineSession(ISentenceEmbedder embedder, MethodRun run, LocomoConversation conversation)
        {
            _embedder = embedder;
            _method = run.Method switch
            {
                EvalMethod.Bm25 => BaselineMethod.Bm25,
                EvalMethod.Dense => BaselineMethod.Dense,
                _ => BaselineMethod.Hybrid,
            };
            var index = new BaseIndex(embedder.Dimensions, conversation.Turns.Count);
            _retriever = new BaselineRetriever(index);
            _query = new float[embedder.Dimensions];
            var vectors = embedder.EmbedAll([.. conversation.Turns.Select(t => t.NodeText)]);
            for (var i = 0; i < conversation.Turns.Count; i++)
            {
                var turn = conversation.Turns[i];
                var text = turn.NodeText;
                var position = index.Add(vectors[i], turn.Time, []);
                _retriever.AddDocument(text);
                _nodes.Add(new MemoryNode(position, text, turn.Speaker, turn.Time, []));
            }

            if (run.Options.RemoveCommonComponent)
            {
                index.UpdateCommonComponent();
            }

            _top = new int[run.BaselineItems];
        }

        public (IReadOnlyList<int> Nodes, string Context, int ContextTokens) Retrieve(string question)
        {
            if (_method != BaselineMethod.Bm25)
            {
                _embedder.Embed(question, _query);
            }

            var count = _retriever.Retrieve(_method, _query, question, _top.Length, _top);
            var selected = _top[..count];
            var context = ContextAssembler.Assemble([], [], selected.Select(i => _nodes[i]));
            return (selected, context.Text, context.Tokens);
        }

        public void AfterQuestion(int answered, int[] used)
        {
        }
    }
}
