using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>
/// A small two-person conversation over several sessions and topics, written for these tests, with questions
/// whose answers are spread over sessions (so spreading and the flip pathway have something to do).
/// </summary>
internal static class FixtureConversation
{
    private static readonly DateTimeOffset Start = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    private static readonly string[][] Sessions =
    [
        [
            "Caroline: I went to the LGBTQ support group yesterday and it was so powerful.",
            "Melanie: That sounds amazing! What did you talk about there?",
            "Caroline: Transgender stories, and how everyone supported each other.",
            "Melanie: I painted a sunrise over the lake last week, it calmed me down.",
            "Caroline: I love that! Do you paint often?",
            "Melanie: Every weekend since I was a kid, mostly landscapes and my dog Oliver.",
        ],
        [
            "Caroline: I'm thinking about becoming a counselor for young people.",
            "Melanie: You would be wonderful at that. What made you decide?",
            "Caroline: The support group showed me how much listening matters.",
            "Melanie: We went camping at the beach with the kids in June.",
            "Caroline: Camping sounds fun, did Oliver come along?",
            "Melanie: Yes, Oliver chased crabs all afternoon and the kids roasted marshmallows.",
        ],
        [
            "Caroline: I started reading Becoming Nicole, a book about a transgender girl.",
            "Melanie: Is it good? I need a new book for the summer.",
            "Caroline: It is moving. I also signed up for a counseling course in July.",
            "Melanie: Congratulations! My pottery class made bowls this week.",
            "Caroline: Pottery! Send me a photo of your bowls.",
            "Melanie: I painted the bowls blue, like the lake from my sunrise painting.",
        ],
        [
            "Caroline: My counseling course started; we practice listening exercises.",
            "Melanie: How is it going so far?",
            "Caroline: Hard but rewarding. The support group friends cheer me on.",
            "Melanie: We are planning another beach camping trip in August.",
            "Caroline: Take Oliver again, he loved the crabs.",
            "Melanie: Of course, and I will paint the beach at sunset this time.",
        ],
    ];

    public static IReadOnlyList<string> Questions { get; } =
    [
        "What did Caroline do at the support group?",
        "What does Melanie like to paint?",
        "Where did Melanie go camping with her kids?",
        "What career is Caroline pursuing?",
        "What book is Caroline reading?",
        "What did Melanie make in pottery class?",
        "What is the name of Melanie's dog?",
        "When did Caroline start her counseling course?",
        "What did Oliver do at the beach?",
        "What color did Melanie paint the bowls?",
        "Why did Caroline decide to become a counselor?",
        "What are Melanie's plans for August?",
    ];

    public static DateTimeOffset End => Start.AddDays(7 * (Sessions.Length - 1)).AddHours(1);

    public static IReadOnlyList<IngestMessage> Messages(string thread = "conv")
    {
        var messages = new List<IngestMessage>();
        for (var s = 0; s < Sessions.Length; s++)
        {
            var date = Start.AddDays(7 * s);
            for (var t = 0; t < Sessions[s].Length; t++)
            {
                var text = Sessions[s][t];
                var speaker = text[..text.IndexOf(':', StringComparison.Ordinal)];
                messages.Add(new IngestMessage(text, speaker, date.AddMinutes(t), thread));
            }
        }

        return messages;
    }
}
