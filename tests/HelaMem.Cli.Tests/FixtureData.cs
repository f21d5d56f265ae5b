using System.Text.Json.Nodes;

namespace HelaMem.Cli.Tests;

/// <summary>
/// Writes small LoCoMo-format conversations to a temporary directory. The questions of conversation 1 are built
/// so that BM25's result is known by hand: each shares rare words with its evidence turns only.
/// </summary>
public sealed class FixtureData : IDisposable
{
    public FixtureData()
    {
        Directory = Path.Combine(Path.GetTempPath(), "helamem-cli-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(Path.Combine(Directory, "conv-1.json"), ConversationOne().ToJsonString());
        File.WriteAllText(Path.Combine(Directory, "conv-2.json"), ConversationTwo().ToJsonString());
    }

    public string Directory { get; }

    public string Output => Path.Combine(Directory, "out");

    public const int QuestionsInOne = 8;

    public const int QuestionsInTwo = 2;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static JsonObject ConversationOne() => new()
    {
        ["speaker_a"] = "Alice",
        ["speaker_b"] = "Bob",
        ["session_1_date_time"] = "1:56 pm on 8 May, 2023",
        ["session_1"] = new JsonArray(
            Turn("Alice", "D1:1", "Hi Bob, how are you doing today?"),
            Turn("Bob", "D1:2", "Great! I just adopted a puppy named Biscuit."),
            Turn("Alice", "D1:3", "I started learning the saxophone last week.", "a photo of a golden saxophone on a stand"),
            Turn("Bob", "D1:4", "Cool, my sister plays the violin in an orchestra."),
            Turn("Alice", "D1:5", "We should visit the aquarium in Monterey sometime."),
            Turn("Bob", "D1:6", "Sure, I love jellyfish exhibits.")),
        ["session_2_date_time"] = "10:37 am on 27 June, 2023",
        ["session_2"] = new JsonArray(
            Turn("Alice", "D2:1", "I finally performed a jazz recital downtown."),
            Turn("Bob", "D2:2", "Biscuit chewed my new sneakers yesterday."),
            Turn("Alice", "D2:3", "My grandmother taught me to bake cardamom bread."),
            Turn("Bob", "D2:4", "I'm training for a marathon in Chicago."),
            Turn("Alice", "D2:5", "Good luck, remember to stretch."),
            Turn("Bob", "D2:6", "Thanks, see you soon.")),
        // As in the real files: a date without a session.
        ["session_3_date_time"] = "9:00 am on 1 July, 2023",
        ["qa"] = new JsonArray(
            Question("Where is Bob training for the marathon, and what does his sister play?", 1, "Chicago, violin", "D2:4", "D1:4"),
            Question("When did Alice perform the jazz recital?", 2, "27 June 2023", "D2:1"),
            Question("Would Bob enjoy the Monterey aquarium jellyfish?", 3, "Yes; he loves jellyfish exhibits", "D1:5; D1:6"),
            Question("Which instrument is Alice learning, the saxophone?", 4, "saxophone", "D1:3"),
            Question("What kind of bread did the grandmother bake?", 4, "cardamom bread", "D2:3"),
            Question("Who taught the cardamom bread recipe?", 4, "Alice's grandmother", "D2:3", "D9:9"),
            Question("What is the weather like?", 4, "sunny"),
            Question("What did Alice say about her violin recital?", 5, "She performed it downtown", "D1:4")),
    };

    private static JsonObject ConversationTwo() => new()
    {
        ["speaker_a"] = "Carol",
        ["speaker_b"] = "Dan",
        ["session_1_date_time"] = "8:15 pm on 3 March, 2022",
        ["session_1"] = new JsonArray(
            Turn("Carol", "D1:1", "I moved to Lisbon for a new job."),
            Turn("Dan", "D1:2", "Lisbon has great tiles and pastries."),
            Turn("Carol", "D1:3", "The pasteis de nata are my favorite."),
            Turn("Dan", "D1:4", "I am learning Portuguese on an app.")),
        ["qa"] = new JsonArray(
            Question("Where did Carol move?", 4, "Lisbon", "D1:1"),
            Question("What is Dan learning?", 4, "Portuguese", "D1:4")),
    };

    private static JsonObject Turn(string speaker, string id, string text, string? caption = null)
    {
        var turn = new JsonObject { ["speaker"] = speaker, ["dia_id"] = id, ["text"] = text };
        if (caption is not null)
        {
            turn["img_url"] = new JsonArray("https://example.invalid/photo.jpg");
            turn["blip_caption"] = caption;
        }

        return turn;
    }

    // The answers are the gold of eval locomo --answer (category 5's is the tempting wrong answer, as in the files).
    private static JsonObject Question(string text, int category, string answer, params string[] evidence)
    {
        var question = new JsonObject
        {
            ["question"] = text,
            ["evidence"] = new JsonArray([.. evidence.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["category"] = category,
        };
        question[category == 5 ? "adversarial_answer" : "answer"] = answer;
        return question;
    }
}
