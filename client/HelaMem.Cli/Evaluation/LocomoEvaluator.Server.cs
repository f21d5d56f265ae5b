using HelaMem.Cli.Locomo;
using HelaMem.Client.Contracts;

namespace HelaMem.Cli.Evaluation;

/// <summary>HeLa-Mem through a server's HTTP API.</summary>
public sealed partial class LocomoEvaluator
{
    /// <summary>
    /// One conversation on a server: ingested as one user (each turn a message with its speaker, session time,
    /// the conversation as its thread and its dia_id), searched question by question at the conversation's end
    /// (the <c>now</c> the in-process engines use), consolidated every <see cref="ConsolidationInterval"/> questions
    /// without forgetting, as they do; the user is deleted when the conversation is done.
    /// </summary>
    private sealed class ServerHelaSession : IRetrievalSession
    {
        // Well under the default quota (1000) and body limit (4 MiB) for LoCoMo's turns.
        private const int IngestBatch = 200;

        private readonly ServerEvalTarget _server;
        private readonly string _user;
        private readonly Dictionary<long, int> _turnOf = [];
        private readonly DateTimeOffset _now;
        private readonly bool _consolidate;
        private readonly CancellationToken _cancellationToken;

        public ServerHelaSession(ServerEvalTarget server, MethodRun run, LocomoConversation conversation, CancellationToken cancellationToken)
        {
            _server = server;
            _cancellationToken = cancellationToken;
            _user = server.UserFor(conversation.Id);
            var turns = conversation.Turns;
            for (var first = 0; first < turns.Count; first += IngestBatch)
            {
                var batch = turns.Skip(first).Take(IngestBatch)
                    .Select(t => new MessageInput(t.NodeText, t.Speaker, Timestamp: t.Time, ConversationId: conversation.Id,
                        Metadata: new Dictionary<string, string> { ["dia_id"] = t.DiaId }))
                    .ToList();
                var result = server.Client.IngestAsync(_user, new IngestRequest(batch), cancellationToken).GetAwaiter().GetResult();
                if (result.NodeIds.Count != batch.Count)
                {
                    throw new InvalidOperationException($"conversation {conversation.Id}: the server acknowledged {result.NodeIds.Count} of {batch.Count} turns");
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    _turnOf[result.NodeIds[i]] = first + i;
                }
            }

            _now = conversation.End;
            _consolidate = run.Ablation != EvalAblation.NoConsolidation;
        }

        public (IReadOnlyList<int> Nodes, string Context, int ContextTokens) Retrieve(string question)
        {
            // No topK: the whole result (k base items and up to m flipped ones), as the other engines count it.
            var result = _server.Client.SearchAsync(_user, new SearchRequest(question, IncludeSemantic: false, Now: _now), _cancellationToken)
                .GetAwaiter().GetResult();
            _server.Observe(result.RetrievalProfile);
            return ([.. result.Items.Select(i => _turnOf[i.Id])], result.Context, result.ContextTokens);
        }

        public void AfterQuestion(int answered, int[] used)
        {
            // Usage feedback is the use-feedback variant only, which the server engine refuses (its options are the silo's).
            if (_consolidate && answered % ConsolidationInterval == 0)
            {
                _server.Client.ConsolidateAsync(_user, _cancellationToken).GetAwaiter().GetResult();
            }
        }

        public void Dispose()
        {
            try
            {
                _server.DeleteUserAsync(_user, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HelaMem.Client.HelaMemApiException or TimeoutException)
            {
                // Not deleted now (the server may be the reason the run failed): the run's clean-up tries again and says so.
            }
        }
    }
}
