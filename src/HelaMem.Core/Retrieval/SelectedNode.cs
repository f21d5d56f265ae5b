namespace HelaMem.Core.Retrieval;

/// <summary>One node of a dual-pathway result.</summary>
/// <param name="Index">The node index.</param>
/// <param name="BaseScore">S_base.</param>
/// <param name="Score">S, after spreading.</param>
/// <param name="Pathway">How it was selected.</param>
public readonly record struct SelectedNode(int Index, float BaseScore, float Score, Pathway Pathway);
