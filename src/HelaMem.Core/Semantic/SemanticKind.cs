namespace HelaMem.Core.Semantic;

/// <summary>The kinds of semantic memory that consolidation distills.</summary>
public enum SemanticKind
{
    /// <summary>About the user: traits, preferences, style, values. Returned with every context.</summary>
    Profile,

    /// <summary>Events, dates, places, stated preferences.</summary>
    Fact,

    /// <summary>What the assistant said about itself.</summary>
    AgentKnowledge,
}
