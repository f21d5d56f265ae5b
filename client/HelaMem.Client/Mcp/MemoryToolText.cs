using System.Globalization;

namespace HelaMem.Client.Mcp;

/// <summary>
/// The names, titles and descriptions of HelaMem's MCP tools. Language models read them to choose a tool and fill its
/// arguments, so they say what a tool does, when to call it and each argument's rule. Both MCP servers take their text
/// from here (the silo's Streamable HTTP endpoint <c>/mcp</c> and <c>helamem mcp</c>, the stdio server over this
/// client), so an agent sees the same tools whichever it connects to. Plain strings: the client stays BCL only.
/// </summary>
public static class MemoryToolText
{
    /// <summary>The name the servers give themselves in the MCP handshake.</summary>
    public const string ServerName = "helamem";

    /// <summary>What the server tells the model about the tools as a whole.</summary>
    public const string Instructions =
        "HelaMem is the long-term memory of the users you talk to. Store what should outlive this conversation with " +
        "add_memories, recall it with search_memories before answering, and report with report_usage which of the " +
        "returned memories you used; correct a memory that is wrong with update_memory. Every tool acts on one user: " +
        "pass the same user id for the same person.";

    /// <summary>Names (snake_case, as MCP clients show them) and titles.</summary>
    public static class Names
    {
        /// <summary>Stores messages.</summary>
        public const string AddMemories = "add_memories";

        /// <summary>Searches.</summary>
        public const string SearchMemories = "search_memories";

        /// <summary>The profile and knowledge.</summary>
        public const string GetProfile = "get_profile";

        /// <summary>A page of memories.</summary>
        public const string ListMemories = "list_memories";

        /// <summary>One memory.</summary>
        public const string GetMemory = "get_memory";

        /// <summary>Deletes one memory.</summary>
        public const string DeleteMemory = "delete_memory";

        /// <summary>Reinforce on use.</summary>
        public const string ReportUsage = "report_usage";

        /// <summary>Changes one memory.</summary>
        public const string UpdateMemory = "update_memory";

        /// <summary>One memory's versions.</summary>
        public const string MemoryHistory = "memory_history";
    }

    /// <summary>The tools' titles, for people (clients show them in lists and confirmations).</summary>
    public static class Titles
    {
        /// <summary><see cref="Names.AddMemories"/>.</summary>
        public const string AddMemories = "Add memories";

        /// <summary><see cref="Names.SearchMemories"/>.</summary>
        public const string SearchMemories = "Search memories";

        /// <summary><see cref="Names.GetProfile"/>.</summary>
        public const string GetProfile = "Get a user's profile";

        /// <summary><see cref="Names.ListMemories"/>.</summary>
        public const string ListMemories = "List memories";

        /// <summary><see cref="Names.GetMemory"/>.</summary>
        public const string GetMemory = "Get a memory";

        /// <summary><see cref="Names.DeleteMemory"/>.</summary>
        public const string DeleteMemory = "Delete a memory";

        /// <summary><see cref="Names.ReportUsage"/>.</summary>
        public const string ReportUsage = "Report used memories";

        /// <summary><see cref="Names.UpdateMemory"/>.</summary>
        public const string UpdateMemory = "Update a memory";

        /// <summary><see cref="Names.MemoryHistory"/>.</summary>
        public const string MemoryHistory = "A memory's history";
    }

    /// <summary>What each tool does (the tool descriptions).</summary>
    public static class Tools
    {
        /// <summary><see cref="Names.AddMemories"/>.</summary>
        public const string AddMemories =
            "Store messages in a user's long-term memory, in order, one memory per message. Use it for what the user " +
            "says or what you learn about them that should be remembered in later conversations. Returns the new " +
            "memories' ids (in message order) and how many memories the user now has; with deduplicate, the indexes of " +
            "the messages that were not stored because the user already had them ('duplicates').";

        /// <summary><see cref="Names.SearchMemories"/>.</summary>
        public const string SearchMemories =
            "Search a user's long-term memory for what is relevant to a query. Returns the memories ordered by score " +
            "(pathway 'base': close to the query; 'flip': linked to those by past use), the user's profile and knowledge " +
            "items, and 'context', one text block of all of them ready to put into a prompt. A search also strengthens " +
            "the links between the memories it returns. Pass its retrievalId to report_usage with the memories you used.";

        /// <summary><see cref="Names.GetProfile"/>.</summary>
        public const string GetProfile =
            "A user's profile and knowledge: facts and traits distilled from their memories by consolidation (empty " +
            "lists while nothing has been distilled yet).";

        /// <summary><see cref="Names.ListMemories"/>.</summary>
        public const string ListMemories =
            "A page of a user's stored memories in id order (deleted memories are skipped). For the next page call it " +
            "again with offset = offset + limit; 'total' is how many memories match (with no filter: how many memory ids " +
            "the user has).";

        /// <summary><see cref="Names.GetMemory"/>.</summary>
        public const string GetMemory =
            "One stored memory by id: its text, speaker, time, conversation, metadata, keywords and how often searches " +
            "returned it.";

        /// <summary><see cref="Names.DeleteMemory"/>.</summary>
        public const string DeleteMemory =
            "Delete one memory for good: searches stop returning it at once and its data is erased. This cannot be undone.";

        /// <summary><see cref="Names.ReportUsage"/>.</summary>
        public const string ReportUsage =
            "Tell the memory which memories of a search you actually used, so that they are linked more strongly and " +
            "come up together in later searches (reinforce on use).";

        /// <summary><see cref="Names.UpdateMemory"/>.</summary>
        public const string UpdateMemory =
            "Correct or change one stored memory: new content replaces its text (searches find it by the new words at " +
            "once), new metadata replaces all of its metadata. The memory keeps its id, time and links, and the version " +
            "it replaces is kept in its history (memory_history). Returns the memory as it is now, with its version.";

        /// <summary><see cref="Names.MemoryHistory"/>.</summary>
        public const string MemoryHistory =
            "Every version of one memory, oldest first: 'created' (as stored by add_memories) then one 'updated' per " +
            "change, each with its content, metadata and when it was stored. The last is the current one.";
    }

    /// <summary>What each argument is and its rule (the parameter descriptions).</summary>
    public static class Arguments
    {
        /// <summary>Every tool's user.</summary>
        public const string User =
            "The user whose memory this is: 1-128 characters, letters, digits, '-', '_', '.' and '@' (not '.' or '..'). " +
            "Different users' memories never mix.";

        /// <summary>add_memories' deduplicate.</summary>
        public const string Deduplicate =
            "Skip messages whose text (trimmed, exact) the user already has, or that an earlier message of this call " +
            "has: their id in the result is the existing memory's (default false: identical text is stored again).";

        /// <summary>add_memories' idempotencyKey.</summary>
        public const string IdempotencyKey =
            "Optional: a key of your choosing for this call (1-255 printable ASCII characters, no spaces, for example a " +
            "UUID). Repeating the call with the same key and the same messages, say after a timeout, stores nothing and " +
            "returns the first call's result with replayed true; the same key with other messages is refused. Keys are " +
            "kept 24 hours.";

        /// <summary>add_memories' messages.</summary>
        public const string Messages =
            "The messages to store, in order (at least one). Each is an object with: content (required, the text), " +
            "speaker (who said it; defaults to role, then 'user'), role (user, assistant, ...), timestamp (ISO 8601 " +
            "date-time; defaults to now), conversationId (consecutive messages of one conversation are linked) and " +
            "metadata (an object of string values returned with the memory).";

        /// <summary>search_memories' query.</summary>
        public const string Query = "What to recall, in natural language (not empty).";

        /// <summary>search_memories' topK.</summary>
        public const string TopK = "Most memories to return, 1 to 100 (default: every memory the search selected).";

        /// <summary>search_memories' includeSemantic.</summary>
        public const string IncludeSemantic =
            "Return the user's profile and knowledge items with the memories (default true; false for the memories only).";

        /// <summary>search_memories' and list_memories' filter.</summary>
        public const string Filter =
            "Optional: consider only the memories that match every condition given: metadata (an object of key to a " +
            "list of allowed values), conversationIds, speakers and roles (lists of allowed values; speakers and roles " +
            "ignore case), from and until (ISO 8601 date-times: said at or after from, before until). Example: " +
            "{\"metadata\": {\"topic\": [\"travel\"]}, \"speakers\": [\"Alice\"], \"from\": \"2024-01-01T00:00:00Z\"}.";

        /// <summary>search_memories' explain.</summary>
        public const string Explain =
            "Add to each memory why it was returned: matched keywords, keyword overlap, base score and the boost from " +
            "linked memories (default false).";

        /// <summary>list_memories' offset.</summary>
        public const string Offset = "How many of the (matching) memories to skip before the page, 0 or more (default 0).";

        /// <summary>list_memories' limit.</summary>
        public const string Limit = "Most memories on the page, 1 to 500 (default 100).";

        /// <summary>The id of the memory get_memory, delete_memory, update_memory and memory_history act on.</summary>
        public const string Id = "The memory id (from add_memories, search_memories or list_memories).";

        /// <summary>report_usage's retrievalId.</summary>
        public const string RetrievalId = "The retrievalId that search_memories returned.";

        /// <summary>report_usage's nodeIds.</summary>
        public const string NodeIds = "The ids of the memories of that search that you used (1 to 100 ids).";

        /// <summary>update_memory's content.</summary>
        public const string Content = "The memory's new text (not empty); leave it out to keep the text.";

        /// <summary>update_memory's metadata.</summary>
        public const string Metadata =
            "The memory's new metadata, an object of string values that replaces all of it ({} removes it); leave it out " +
            "to keep the metadata. Give content, metadata or both.";
    }

    /// <summary>
    /// The text of a refused tool call: the API's problem title, its HTTP status and its explanation, for example
    /// <c>Unknown memory (404): User 'alice' has no memory 3.</c>
    /// </summary>
    public static string Refusal(int status, string title, string detail) =>
        string.Create(CultureInfo.InvariantCulture, $"{title} ({status}): {detail}");
}
