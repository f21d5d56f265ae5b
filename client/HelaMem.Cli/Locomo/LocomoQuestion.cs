namespace HelaMem.Cli.Locomo;

/// <summary>One annotated question.</summary>
/// <param name="Text">The question.</param>
/// <param name="Category">1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.</param>
/// <param name="Evidence">The dia_ids of the turns that hold the answer.</param>
public sealed record LocomoQuestion(string Text, int Category, IReadOnlyList<string> Evidence);
