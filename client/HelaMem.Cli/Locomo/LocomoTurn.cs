namespace HelaMem.Cli.Locomo;

/// <summary>One turn of a LoCoMo conversation.</summary>
/// <param name="DiaId">Its id, <c>D&lt;session&gt;:&lt;turn&gt;</c>, which evidence lists refer to.</param>
/// <param name="Session">The session number.</param>
/// <param name="Speaker">Who speaks.</param>
/// <param name="Text">What they say.</param>
/// <param name="BlipCaption">The caption of a shared photo, if any.</param>
/// <param name="Time">The session's date and time.</param>
public sealed record LocomoTurn(string DiaId, int Session, string Speaker, string Text, string? BlipCaption, DateTimeOffset Time)
{
    /// <summary>The node text of the reference configuration: <c>"Speaker: text"</c> plus <c>" [shares caption]"</c>.</summary>
    public string NodeText => BlipCaption is null ? $"{Speaker}: {Text}" : $"{Speaker}: {Text} [shares {BlipCaption}]";
}
