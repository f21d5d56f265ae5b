namespace HelaMem.Abstractions.Keys;

/// <summary>
/// The owner of one memory graph within a tenant: a user, an agent or a run, and its id. In a grain key it is one
/// segment (<see cref="Segment"/>): the bare id for a user, so that keys written before agents and runs existed
/// still name their user, and <c>agent~{id}</c> or <c>run~{id}</c> otherwise. Ids never contain '~'
/// (<see cref="KeySegment"/>), so an agent's or a run's segment can never be a user's.
/// </summary>
public readonly record struct MemoryOwner
{
    /// <summary>Separates the scope from the id in an agent's or a run's segment.</summary>
    public const char ScopeSeparator = '~';

    /// <summary>Creates an owner; throws <see cref="ArgumentException"/> naming the scope for an invalid id.</summary>
    public MemoryOwner(OwnerScope scope, string id)
    {
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "The scope must be User, Agent or Run.");
        }

        Scope = scope;
        Id = KeySegment.Validate(id, ScopeName(scope));
    }

    /// <summary>The owner's scope.</summary>
    public OwnerScope Scope { get; }

    /// <summary>The owner's id, unique within its scope and tenant.</summary>
    public string Id { get; }

    /// <summary>The scope as the API names it: "user", "agent" or "run".</summary>
    public string ScopeText => ScopeName(Scope);

    /// <summary>The owner's segment of a grain key: the id for a user, <c>agent~{id}</c> or <c>run~{id}</c> otherwise.</summary>
    public string Segment => Scope == OwnerScope.User ? Id : ScopeText + ScopeSeparator + Id;

    /// <summary>A user.</summary>
    public static MemoryOwner User(string id) => new(OwnerScope.User, id);

    /// <summary>An agent.</summary>
    public static MemoryOwner Agent(string id) => new(OwnerScope.Agent, id);

    /// <summary>A run.</summary>
    public static MemoryOwner Run(string id) => new(OwnerScope.Run, id);

    /// <summary>"user", "agent" or "run".</summary>
    public static string ScopeName(OwnerScope scope) => scope switch
    {
        OwnerScope.User => "user",
        OwnerScope.Agent => "agent",
        OwnerScope.Run => "run",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "The scope must be User, Agent or Run."),
    };

    /// <summary>
    /// Parses an owner segment (<c>alice</c>, <c>agent~bot</c>, <c>run~r1</c>); throws <see cref="ArgumentException"/>
    /// for anything else, naming <paramref name="what"/> (the key's part the segment came from).
    /// </summary>
    public static MemoryOwner Parse(string segment, string what = "user")
    {
        ArgumentNullException.ThrowIfNull(segment);
        var separator = segment.IndexOf(ScopeSeparator, StringComparison.Ordinal);
        if (separator < 0)
        {
            // A bare id is a user; KeySegment names the rule when it is not a valid one.
            KeySegment.Validate(segment, what);
            return new MemoryOwner(OwnerScope.User, segment);
        }

        var scope = segment[..separator] switch
        {
            "agent" => OwnerScope.Agent,
            "run" => OwnerScope.Run,
            _ => throw new ArgumentException(
                $"The {what} segment '{segment}' is not an owner: expected an id, 'agent~<id>' or 'run~<id>'.", what),
        };
        return new MemoryOwner(scope, segment[(separator + 1)..]);
    }

    /// <summary>The owner as people read it: <c>agent 'bot'</c>.</summary>
    public string Describe() => $"{ScopeText} '{Id}'";

    /// <inheritdoc />
    public override string ToString() => Segment;
}
