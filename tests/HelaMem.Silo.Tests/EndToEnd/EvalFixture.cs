using System.Text.Json.Nodes;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// A small LoCoMo-format conversation (three sessions, twelve questions: enough for one consolidation run every
/// ten questions) written to a directory as conv-1.json.
/// </summary>
internal static class EvalFixture
{
    public const int Questions = 12;

    public const int Turns = 16;

    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var conversation = new JsonObject
        {
            ["speaker_a"] = "Alice",
            ["speaker_b"] = "Bob",
            ["session_1_date_time"] = "1:56 pm on 8 May, 2023",
            ["session_1"] = new JsonArray(
                Turn("Alice", "D1:1", "Hi Bob, how are you doing today?"),
                Turn("Bob", "D1:2", "Great! I just adopted a puppy named Biscuit."),
                Turn("Alice", "D1:3", "I started learning the saxophone last week."),
                Turn("Bob", "D1:4", "Cool, my sister plays the violin in an orchestra."),
                Turn("Alice", "D1:5", "We should visit the aquarium in Monterey sometime."),
                Turn("Bob", "D1:6", "Sure, I love jellyfish exhibits.")),
            ["session_2_date_time"] = "10:37 am on 27 June, 2023",
            ["session_2"] = new JsonArray(
                Turn("Alice", "D2:1", "I finally performed a jazz recital downtown with my saxophone."),
                Turn("Bob", "D2:2", "Biscuit chewed my new sneakers yesterday."),
                Turn("Alice", "D2:3", "My grandmother taught me to bake cardamom bread."),
                Turn("Bob", "D2:4", "I'm training for a marathon in Chicago."),
                Turn("Alice", "D2:5", "Good luck, remember to stretch."),
                Turn("Bob", "D2:6", "Thanks, my sister will come to cheer with her violin friends.")),
            ["session_3_date_time"] = "9:00 am on 1 July, 2023",
            ["session_3"] = new JsonArray(
                Turn("Alice", "D3:1", "The Monterey trip is booked for August."),
                Turn("Bob", "D3:2", "Biscuit can stay with my sister while we travel."),
                Turn("Alice", "D3:3", "I will bring cardamom bread for the drive."),
                Turn("Bob", "D3:4", "My marathon time was four hours, I am proud.")),
            ["qa"] = new JsonArray(
                Question("Where is Bob training for the marathon, and what does his sister play?", 1, "D2:4", "D1:4"),
                Question("When did Alice perform the jazz recital?", 2, "D2:1"),
                Question("Would Bob enjoy the Monterey aquarium jellyfish?", 3, "D1:5", "D1:6"),
                Question("Which instrument is Alice learning?", 4, "D1:3"),
                Question("What kind of bread did the grandmother bake?", 4, "D2:3"),
                Question("What did Biscuit chew?", 4, "D2:2"),
                Question("Who looks after Biscuit during the trip?", 4, "D3:2"),
                Question("When is the Monterey trip?", 2, "D3:1"),
                Question("What was Bob's marathon time?", 4, "D3:4"),
                Question("What will Alice bring for the drive?", 4, "D3:3"),
                Question("What is the puppy called?", 4, "D1:2"),
                Question("What did Alice say about her violin recital?", 5, "D1:4")),
        };
        File.WriteAllText(Path.Combine(directory, "conv-1.json"), conversation.ToJsonString());
    }

    private static JsonObject Turn(string speaker, string id, string text) => new() { ["speaker"] = speaker, ["dia_id"] = id, ["text"] = text };

    private static JsonObject Question(string text, int category, params string[] evidence)
    {
        var question = new JsonObject
        {
            ["question"] = text,
            ["evidence"] = new JsonArray([.. evidence.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["category"] = category,
        };
        question[category == 5 ? "adversarial_answer" : "answer"] = "not used by retrieval";
        return question;
    }
}
