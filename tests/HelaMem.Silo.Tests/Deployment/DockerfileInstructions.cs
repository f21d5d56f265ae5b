namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// A Dockerfile read as Docker reads its instructions: comments and blank lines skipped, lines ending in a backslash
/// joined with the next, each instruction split into its keyword (upper-cased) and its arguments. Enough to check what
/// an image definition declares without building it (images cannot be built on the test machines).
/// </summary>
public sealed record DockerfileInstruction(string Keyword, string Arguments, int Line);

/// <summary>Parses a Dockerfile into its instructions, in order; a line that is not an instruction fails.</summary>
public static class DockerfileInstructions
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG",
        "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    public static IReadOnlyList<DockerfileInstruction> Parse(string text)
    {
        var instructions = new List<DockerfileInstruction>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            var joined = line;
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                var next = lines[++i].Trim();
                joined = joined[..^1].TrimEnd() + " " + (next.StartsWith('#') ? "" : next);
            }

            if (joined.EndsWith('\\'))
            {
                throw new FormatException($"line {start}: the continuation runs past the end of the file.");
            }

            var space = joined.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? joined : joined[..space]).ToUpperInvariant();
            if (!Known.Contains(keyword))
            {
                throw new FormatException($"line {start}: '{keyword}' is not a Dockerfile instruction.");
            }

            instructions.Add(new DockerfileInstruction(keyword, space < 0 ? "" : joined[(space + 1)..].Trim(), start));
        }

        return instructions;
    }
}
