using HelaMem.Cli.Evaluation;

namespace HelaMem.Cli.Commands;

/// <summary>The validated arguments of <c>helamem eval locomo</c>.</summary>
/// <param name="DataDirectory">The directory of <c>conv-&lt;id&gt;.json</c> files.</param>
/// <param name="ConversationIds">The conversations to evaluate, in order.</param>
/// <param name="Methods">The methods to run, in order.</param>
/// <param name="TopK">k.</param>
/// <param name="MaxFlipped">m.</param>
/// <param name="Ablation">The HeLa-Mem ablation.</param>
/// <param name="Variants">HeLa-Mem improvement variants.</param>
/// <param name="OutputDirectory">Where summary.json goes.</param>
/// <param name="Embedder">Which embedder.</param>
/// <param name="CacheDirectory">The embedder cache.</param>
/// <param name="Engine">Where HeLa-Mem runs: the in-memory core, the grains in an in-process test cluster, or a server.</param>
/// <param name="Server">How to reach the server (engine server only).</param>
/// <param name="MaxQuestions">Stop each method run after this many questions (null: all).</param>
/// <param name="Answer">Answer every question with a chat model and score it (<c>--answer</c>), or null.</param>
public sealed record EvalLocomoSettings(
    string DataDirectory,
    IReadOnlyList<string> ConversationIds,
    IReadOnlyList<EvalMethod> Methods,
    int TopK,
    int MaxFlipped,
    EvalAblation Ablation,
    IReadOnlyList<string> Variants,
    string OutputDirectory,
    EmbedderChoice Embedder,
    string CacheDirectory,
    EvalEngine Engine = EvalEngine.Core,
    ServerConnection? Server = null,
    int? MaxQuestions = null,
    HelaMem.Cli.Answering.AnswerSettings? Answer = null);
