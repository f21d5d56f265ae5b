namespace HelaMem.Runtime;

/// <summary>
/// The identity of a grain: its type name (a stable string, independent of the CLR type's namespace, so
/// that stored state survives refactoring) and its string key.
/// </summary>
/// <param name="Type">Stable grain type name, e.g. <c>memory-node</c>.</param>
/// <param name="Key">The grain's key, e.g. <c>tenant/user/node</c>.</param>
public readonly record struct GrainId(string Type, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
