namespace HelaMem.Runtime;

/// <summary>
/// Marker for grain interfaces. Every method of a grain interface returns <see cref="Task"/>,
/// <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>; the source
/// generator emits a proxy and an invoker for each interface that derives from this one.
/// </summary>
public interface IGrain
{
}

/// <summary>A grain addressed by a string key (the only key kind HelaMem uses, e.g. <c>tenant/user/node</c>).</summary>
public interface IGrainWithStringKey : IGrain
{
}
