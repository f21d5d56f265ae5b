using System.CommandLine;
using HelaMem.Client;

namespace HelaMem.Cli.Service;

/// <summary>
/// <c>--user ID</c>, <c>--agent ID</c> or <c>--run ID</c>: whose memory a command works on. Exactly one is given (a
/// usage error otherwise, before anything is sent); each names a memory of its own.
/// </summary>
internal sealed class OwnerOptions
{
    private readonly Option<string?> _user = new("--user") { Description = "A user's memory" };
    private readonly Option<string?> _agent = new("--agent") { Description = "An agent's memory (instead of --user)" };
    private readonly Option<string?> _run = new("--run") { Description = "A run's memory (instead of --user)" };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public OwnerOptions AddTo(Command command)
    {
        command.Options.Add(_user);
        command.Options.Add(_agent);
        command.Options.Add(_run);
        return this;
    }

    /// <summary>The owner given; a <see cref="CliUsageException"/> unless exactly one of the options is.</summary>
    public MemoryScope Resolve(ParseResult parse) =>
        ResolveOptional(parse) ?? throw new CliUsageException("say whose memory: give --user ID, --agent ID or --run ID");

    /// <summary>The owner given, or null when none is; a <see cref="CliUsageException"/> when more than one is.</summary>
    public MemoryScope? ResolveOptional(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        List<MemoryScope> given = [];
        if (parse.GetValue(_user) is { } user)
        {
            given.Add(MemoryScope.User(Required(user, "--user")));
        }

        if (parse.GetValue(_agent) is { } agent)
        {
            given.Add(MemoryScope.Agent(Required(agent, "--agent")));
        }

        if (parse.GetValue(_run) is { } run)
        {
            given.Add(MemoryScope.Run(Required(run, "--run")));
        }

        return given.Count switch
        {
            0 => null,
            1 => given[0],
            _ => throw new CliUsageException("give only one of --user, --agent and --run: each names a memory of its own"),
        };
    }

    private static string Required(string id, string option) =>
        string.IsNullOrWhiteSpace(id) ? throw new CliUsageException($"{option} needs an id") : id;
}
