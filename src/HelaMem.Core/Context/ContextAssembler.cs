using System.Globalization;
using System.Text;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Context;

/// <summary>
/// Assembles the context: the profile, the retrieved semantic items, then the episodic memories in time order
/// (a dated line each), so the model reads a story rather than a ranking. Empty sections are left out.
/// </summary>
public static class ContextAssembler
{
    /// <summary>Assembles the context and counts its size.</summary>
    public static AssembledContext Assemble(IEnumerable<SemanticItem> profile, IEnumerable<SemanticItem> knowledge, IEnumerable<MemoryNode> memories)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(memories);
        var text = new StringBuilder();
        AppendSection(text, "Profile", profile.Select(item => item.Text));
        AppendSection(text, "Knowledge", knowledge.Select(item => item.Text));
        AppendSection(
            text,
            "Memories",
            memories.OrderBy(node => node.Timestamp).ThenBy(node => node.Index)
                .Select(node => string.Create(CultureInfo.InvariantCulture, $"[{node.Timestamp:yyyy-MM-dd}] {node.Content}")));
        var result = text.ToString();
        return new AssembledContext(result, TokenCounter.Count(result));
    }

    private static void AppendSection(StringBuilder text, string title, IEnumerable<string> lines)
    {
        var first = true;
        foreach (var line in lines)
        {
            if (first)
            {
                text.Append("## ").Append(title).Append('\n');
                first = false;
            }

            text.Append(line).Append('\n');
        }
    }
}
