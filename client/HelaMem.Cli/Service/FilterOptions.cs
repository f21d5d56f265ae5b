using System.CommandLine;
using HelaMem.Client.Contracts;

namespace HelaMem.Cli.Service;

/// <summary>The filter options of <c>search</c> and <c>memories list</c>, turned into the API's <see cref="MemoryFilter"/>.</summary>
public sealed class FilterOptions
{
    private readonly Option<string[]> _metadata = new("--meta") { Description = "Metadata KEY=VALUE the memory must have (repeat; one key several times: any of the values)" };
    private readonly Option<string[]> _conversation = new("--conversation") { Description = "Only this conversation id (repeat for several)" };
    private readonly Option<string[]> _speaker = new("--speaker") { Description = "Only memories said by this speaker (repeat for several; case-insensitive)" };
    private readonly Option<string[]> _role = new("--role") { Description = "Only memories with this role (repeat for several; case-insensitive)" };
    private readonly Option<DateTimeOffset?> _from = new("--from") { Description = "Only memories said at or after this time (ISO 8601)" };
    private readonly Option<DateTimeOffset?> _until = new("--until") { Description = "Only memories said before this time (ISO 8601)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_metadata);
        command.Options.Add(_conversation);
        command.Options.Add(_speaker);
        command.Options.Add(_role);
        command.Options.Add(_from);
        command.Options.Add(_until);
    }

    /// <summary>The filter the parsed options state, or null when none was given; a malformed --meta is a usage error.</summary>
    public MemoryFilter? Read(ParseResult parse)
    {
        Dictionary<string, IReadOnlyList<string>>? metadata = null;
        foreach (var pair in parse.GetValue(_metadata) ?? [])
        {
            var (key, value) = SplitPair(pair);
            metadata ??= new(StringComparer.Ordinal);
            metadata[key] = [.. metadata.TryGetValue(key, out var values) ? values : [], value];
        }

        var filter = new MemoryFilter(metadata, NullIfEmpty(parse.GetValue(_conversation)), NullIfEmpty(parse.GetValue(_speaker)),
            NullIfEmpty(parse.GetValue(_role)), parse.GetValue(_from), parse.GetValue(_until));
        return filter is { Metadata: null, ConversationIds: null, Speakers: null, Roles: null, From: null, Until: null } ? null : filter;
    }

    /// <summary>A <c>--meta KEY=VALUE</c> argument as its key and value; anything else is a usage error.</summary>
    public static (string Key, string Value) SplitPair(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (pair[..equals], pair[(equals + 1)..]) : throw new CliUsageException($"--meta '{pair}' is not KEY=VALUE.");
    }

    private static string[]? NullIfEmpty(string[]? values) => values is { Length: > 0 } ? values : null;
}
