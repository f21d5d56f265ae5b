using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace HelaMem.Runtime.Generators;

/// <summary>An immutable array with value equality, so the incremental pipeline can cache models.</summary>
internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items;

    public EquatableArray(ImmutableArray<T> items) => _items = items;

    public int Count => _items.IsDefault ? 0 : _items.Length;

    public T this[int index] => _items[index];

    public bool Equals(EquatableArray<T> other) => this.SequenceEqual(other);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var item in this)
        {
            hash = (hash * 31) + item.GetHashCode();
        }

        return hash;
    }

    public IEnumerator<T> GetEnumerator() => (_items.IsDefault ? ImmutableArray<T>.Empty : _items).AsEnumerable().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>How a grain method returns.</summary>
internal enum ReturnKind
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>One parameter of a grain method.</summary>
internal sealed record ParameterModel(string Name, string Type, bool IsCancellationToken);

/// <summary>One grain method as the generator emits it.</summary>
internal sealed record MethodModel(
    string DeclaringInterface,
    string Name,
    ReturnKind ReturnKind,
    string ReturnType,
    string? ResultType,
    EquatableArray<ParameterModel> Parameters,
    bool IsReadOnly,
    bool IsAlwaysInterleave,
    bool IsOneWay);

/// <summary>One grain interface with all its methods (own and inherited).</summary>
internal sealed record InterfaceModel(string FullName, string DisplayName, string IdentifierName, EquatableArray<MethodModel> Methods);

/// <summary>A problem found in user code, reported as a compiler error.</summary>
internal sealed record DiagnosticModel(string Id, string Message, Microsoft.CodeAnalysis.Location? Location);

/// <summary>What one syntax node contributed: grain interfaces, a grain class, problems.</summary>
internal sealed record NodeModel(EquatableArray<InterfaceModel> Interfaces, string? GrainClass, EquatableArray<DiagnosticModel> Diagnostics);
