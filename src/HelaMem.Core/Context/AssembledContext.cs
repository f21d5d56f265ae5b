namespace HelaMem.Core.Context;

/// <summary>The context text handed to the LLM and its size.</summary>
/// <param name="Text">The text.</param>
/// <param name="Tokens">Its size in words (<see cref="TokenCounter"/>).</param>
public sealed record AssembledContext(string Text, int Tokens);
