using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.Consolidation;

/// <summary>
/// Splits a graph's new turns (in id order) into the runs the turn trigger distills: a session ends at a time gap
/// or a change of conversation id; a session is cut into runs of at most N turns. A run is ready when it is full or
/// its session has ended (a later session exists, or its last turn is a gap old); <c>flush</c> makes every run ready.
/// </summary>
public static class TurnRuns
{
    /// <summary>The ready runs, in order, and how many turns are left waiting after them.</summary>
    public static (List<IReadOnlyList<NodeData>> Ready, int Waiting) Split(IReadOnlyList<NodeData> turns, int everyTurns, TimeSpan sessionGap, DateTimeOffset now, bool flush)
    {
        ArgumentNullException.ThrowIfNull(turns);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyTurns, 1);
        var sessions = new List<List<NodeData>>();
        foreach (var turn in turns)
        {
            var current = sessions.Count == 0 ? null : sessions[^1];
            if (current is null || turn.Timestamp - current[^1].Timestamp > sessionGap || !string.Equals(turn.Conversation, current[^1].Conversation, StringComparison.Ordinal))
            {
                sessions.Add([turn]);
            }
            else
            {
                current.Add(turn);
            }
        }

        var ready = new List<IReadOnlyList<NodeData>>();
        for (var s = 0; s < sessions.Count; s++)
        {
            var session = sessions[s];
            var ended = flush || s < sessions.Count - 1 || now - session[^1].Timestamp >= sessionGap;
            for (var start = 0; start < session.Count; start += everyTurns)
            {
                var length = Math.Min(everyTurns, session.Count - start);
                if (length < everyTurns && !ended)
                {
                    // The open session's last, partial run waits; so does everything after it, to keep id order.
                    return (ready, turns.Count - ready.Sum(r => r.Count));
                }

                ready.Add(session.GetRange(start, length));
            }
        }

        return (ready, 0);
    }
}
