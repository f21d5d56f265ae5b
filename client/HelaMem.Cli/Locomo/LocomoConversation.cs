namespace HelaMem.Cli.Locomo;

/// <summary>A LoCoMo conversation: its turns in order (session by session) and its questions in file order.</summary>
/// <param name="Id">The id from the file name (<c>conv-26.json</c> → <c>26</c>).</param>
/// <param name="Turns">The turns.</param>
/// <param name="Questions">The questions.</param>
public sealed record LocomoConversation(string Id, IReadOnlyList<LocomoTurn> Turns, IReadOnlyList<LocomoQuestion> Questions)
{
    /// <summary>The time of the last session: the evaluation's "now".</summary>
    public DateTimeOffset End => Turns.Count == 0 ? DateTimeOffset.UnixEpoch : Turns.Max(t => t.Time);
}
