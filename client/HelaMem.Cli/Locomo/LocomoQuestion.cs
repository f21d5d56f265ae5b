namespace HelaMem.Cli.Locomo;

/// <summary>One annotated question.</summary>
/// <param name="Text">The question.</param>
/// <param name="Category">1 multi-hop, 2 temporal, 3 open-domain, 4 single-hop, 5 adversarial.</param>
/// <param name="Evidence">The dia_ids of the turns that hold the answer.</param>
/// <param name="Answer">
/// The gold answer of categories 1–4 (numbers in the file, e.g. a year, as their text); null for category 5, whose
/// right answer is that the conversation does not say (its file entry names only the tempting wrong answer).
/// </param>
public sealed record LocomoQuestion(string Text, int Category, IReadOnlyList<string> Evidence, string? Answer = null);
