using System.Globalization;
using System.Text.RegularExpressions;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// The offline reading of one turn (no LLM): what the speaker says about themselves becomes profile items (stated
/// preferences, identity and attributes, values, goals, what they do) keyed by a slot, so a later statement on the
/// same slot replaces the earlier one; what they say they did becomes a dated fact, its relative date resolved
/// against the turn's timestamp; an assistant's statements about itself become agent knowledge. Deterministic.
/// </summary>
public static partial class StatementExtractor
{
    private const int MaxObjectWords = 10;

    // How far into a sentence its first-person subject may start ("Last Friday I …", "Recently, we …").
    private const int MaxSubjectOffset = 20;

    private static readonly string[] AgentCues = ["i am ", "i'm ", "i can ", "i cannot ", "i can't ", "my name", "i was built", "i don't "];

    // Irregular past tenses that open a reported event ("I went", "we saw"); regular ones end in -ed.
    private static readonly HashSet<string> IrregularPast = new(StringComparer.OrdinalIgnoreCase)
    {
        "went", "got", "took", "made", "saw", "ran", "had", "did", "met", "bought", "began", "brought", "built", "came",
        "caught", "chose", "drove", "ate", "fell", "felt", "found", "flew", "gave", "grew", "heard", "held", "kept",
        "knew", "left", "lost", "paid", "put", "read", "rode", "sang", "sat", "sent", "set", "spent", "spoke", "stood",
        "swam", "taught", "told", "thought", "threw", "won", "wrote", "become", "became", "done", "gone", "seen",
        "taken", "given", "written", "won", "begun", "drawn", "drew", "sold", "slept", "shot", "hung", "led", "broke",
    };

    private static readonly HashSet<string> NotPast = new(StringComparer.OrdinalIgnoreCase)
    {
        "need", "feed", "bed", "red", "shed", "wed", "indeed", "used", "supposed", "excited", "interested", "tired",
        "scared", "inspired", "amazed", "surprised", "married", "engaged", "obsessed", "pleased", "blessed", "stressed",
        "motivated", "determined", "committed", "thrilled", "overwhelmed", "touched", "moved", "relieved", "worried",
    };

    private static readonly HashSet<string> Traits = new(StringComparer.OrdinalIgnoreCase)
    {
        "shy", "introverted", "extroverted", "outgoing", "creative", "organized", "organised", "adventurous", "curious",
        "competitive", "patient", "impatient", "optimistic", "pessimistic", "independent", "sensitive", "spontaneous",
        "practical", "ambitious", "introvert", "extrovert", "perfectionist", "vegan", "vegetarian", "religious",
        "spiritual", "athletic", "artistic", "musical", "sporty",
    };

    /// <summary>The items one turn yields; each names the turn as its source.</summary>
    public static List<SemanticItem> Extract(MemoryNode node, IReadOnlyCollection<string> agentSpeakers)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(agentSpeakers);
        var items = new List<SemanticItem>();
        var name = node.Speaker.Trim();
        if (name.Length == 0)
        {
            return items;
        }

        var isAgent = agentSpeakers.Contains(name, StringComparer.OrdinalIgnoreCase);
        foreach (var raw in ExtractiveDistiller.Sentences(Body(node.Content, name)))
        {
            var sentence = Interjection().Replace(raw, "").Trim();
            if (sentence.EndsWith('?') || sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 2)
            {
                continue;
            }

            if (isAgent)
            {
                if (AgentCues.Any(sentence.ToLowerInvariant().Contains))
                {
                    items.Add(new SemanticItem(SemanticKind.AgentKnowledge, Finish(ThirdPerson.Rewrite(sentence, name)), [node.Index], name));
                }

                continue;
            }

            foreach (var (text, slot) in ProfileStatements(sentence, name))
            {
                items.Add(new SemanticItem(SemanticKind.Profile, text, [node.Index], name, SemanticSlots.Of(name, slot)));
            }

            if (Fact(sentence, name, node.Timestamp) is { } fact)
            {
                items.Add(new SemanticItem(SemanticKind.Fact, fact, [node.Index], name));
            }
        }

        return items;
    }

    // The turn without "Speaker:" in front and without a shared photo's caption behind.
    private static string Body(string content, string name)
    {
        var text = content.Replace('\u2019', '\'').Trim();
        if (text.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        {
            text = text[(name.Length + 1)..].TrimStart();
        }

        var caption = text.LastIndexOf(" [shares ", StringComparison.Ordinal);
        return caption > 0 && text.EndsWith(']') ? text[..caption] : text;
    }

    /// <summary>A reported event with its date ("Caroline went to a LGBTQ support group on 2023-05-07"), or null.</summary>
    public static string? Fact(string sentence, string name, DateTimeOffset said)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var clause = Clause(sentence);
        var resolution = RelativeDates.Resolve(sentence, said);
        var firstPerson = FirstPersonSubject().Match(clause);

        // The speaker must be what the sentence is about: the subject comes first (after a time phrase at most).
        if (!firstPerson.Success || firstPerson.Index > MaxSubjectOffset || clause.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 5)
        {
            return null;
        }

        var verb = firstPerson.Groups["verb"].Value;
        // "I'm tired" is a state, not an event: after a form of "be" only a dated plan or happening counts.
        var plan = resolution is not null && PlanOrNow().IsMatch(clause);
        var isEvent = firstPerson.Groups["be"].Success ? plan : IsPast(verb) || plan;
        if (!isEvent)
        {
            return null;
        }

        string dated;
        if (resolution is { } r && r.Index + r.Length <= clause.Length)
        {
            dated = string.Concat(clause.AsSpan(0, r.Index), r.Phrase, clause.AsSpan(r.Index + r.Length));
        }
        else if (resolution is { } later)
        {
            dated = $"{clause.TrimEnd('.', '!', ',', ' ')} {later.Phrase}";
        }
        else
        {
            dated = string.Create(CultureInfo.InvariantCulture, $"{clause.TrimEnd('.', '!', ',', ' ')} (told on {said:yyyy-MM-dd})");
        }

        return Finish(ThirdPerson.Rewrite(dated, name));
    }

    private static bool IsPast(string verb) =>
        IrregularPast.Contains(verb)
        || (verb.Length >= 4 && verb.EndsWith("ed", StringComparison.OrdinalIgnoreCase) && !verb.EndsWith("eed", StringComparison.OrdinalIgnoreCase) && !NotPast.Contains(verb));

    // The main clause: a reaction after a dash or "and it was" adds nothing a reader needs.
    private static string Clause(string sentence)
    {
        var cut = ClauseEnd().Match(sentence);
        return (cut.Success && cut.Index > 10 ? sentence[..cut.Index] : sentence).Trim();
    }

    private static IEnumerable<(string Text, string Slot)> ProfileStatements(string sentence, string name)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (text, slot) in Candidates(sentence, name))
        {
            if (seen.Add(slot))
            {
                yield return (Finish(text), slot);
            }
        }
    }

    private static IEnumerable<(string Text, string Slot)> Candidates(string sentence, string name)
    {
        foreach (Match m in Preference().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj && !Reaction().IsMatch(obj))
            {
                var verb = m.Groups["verb"].Value.ToLowerInvariant();
                var to = m.Groups["to"].Success ? "to " : "";
                yield return ($"{name} {ThirdPerson.Conjugate(verb)} {to}{obj}", $"preference: {Key(obj)}");
            }
        }

        foreach (Match m in Into().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj && !Reaction().IsMatch(obj))
            {
                var negative = m.Groups["not"].Success;
                yield return (negative ? $"{name} dislikes {obj}" : $"{name} is into {obj}", $"preference: {Key(obj)}");
            }
        }

        foreach (Match m in Favourite().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj)
            {
                var what = m.Groups["what"].Value.Trim().ToLowerInvariant();
                yield return ($"{name}'s favorite {what} is {obj}", $"favorite: {what}");
            }
        }

        foreach (Match m in Status().Matches(sentence))
        {
            var status = m.Groups["status"].Value.ToLowerInvariant();
            var slot = status is "pregnant" or "retired" ? status : "relationship";
            yield return ($"{name} is {status}", slot);
        }

        foreach (Match m in Age().Matches(sentence))
        {
            yield return ($"{name} is {m.Groups["age"].Value} years old", "age");
        }

        foreach (Match m in Lives().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } place)
            {
                yield return ($"{name} lives in {place}", "lives in");
            }
        }

        foreach (Match m in From().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } place)
            {
                yield return ($"{name} is from {place}", "from");
            }
        }

        foreach (Match m in Work().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } job)
            {
                yield return ($"{name} works {m.Groups["prep"].Value.ToLowerInvariant()} {job}", "work");
            }
        }

        foreach (Match m in Identity().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } what && !NotIdentity().IsMatch(what))
            {
                yield return ($"{name} is {m.Groups["article"].Value.ToLowerInvariant()} {what}", $"identity: {Key(what)}");
            }
        }

        foreach (Match m in Trait().Matches(sentence))
        {
            var trait = m.Groups["trait"].Value.ToLowerInvariant();
            if (Traits.Contains(trait))
            {
                yield return ($"{name} is {trait}", $"trait: {trait}");
            }
        }

        foreach (Match m in Has().Matches(sentence))
        {
            var what = m.Groups["obj"].Value.ToLowerInvariant();
            yield return ($"{name} has {what}", $"has: {Noun(what)}");
        }

        foreach (Match m in Family().Matches(sentence))
        {
            var relation = m.Groups["rel"].Value.ToLowerInvariant();
            var plural = relation.EndsWith('s') || relation is "children" or "family";
            yield return ($"{name} has {(plural ? "" : "a ")}{relation}", $"has: {Noun(relation)}");
        }

        foreach (Match m in Values().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj && !Reaction().IsMatch(obj))
            {
                var verb = m.Groups["verb"].Value.ToLowerInvariant();
                var phrase = verb == "care about" ? "cares about" : ThirdPerson.Conjugate(verb);
                yield return ($"{name} {phrase} {obj}", $"values: {Key(obj)}");
            }
        }

        foreach (Match m in ImportantToMe().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj)
            {
                yield return ($"{name} values {obj}", $"values: {Key(obj)}");
            }
        }

        foreach (Match m in Goal().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj)
            {
                if (Reaction().IsMatch(obj))
                {
                    continue;
                }

                var text = m.Groups["keen"].Success ? $"{name} is keen on {obj}"
                    : m.Groups["think"].Success ? $"{name} is thinking about {obj}"
                    : $"{name} wants to {obj}";
                yield return (text, $"goal: {Key(obj)}");
            }
        }

        foreach (Match m in Activity().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj)
            {
                var verb = m.Groups["verb"].Value.ToLowerInvariant();
                yield return ($"{name} {ThirdPerson.Conjugate(verb)} {obj}", $"activity: {verb} {Key(obj)}");
            }
        }

        foreach (Match m in Doing().Matches(sentence))
        {
            if (Object(m.Groups["obj"].Value, name) is { } obj)
            {
                var verb = m.Groups["verb"].Value.ToLowerInvariant();
                yield return ($"{name} is {verb} {obj}", $"activity: {verb} {Key(obj)}");
            }
        }
    }

    // An object phrase: up to the first clause break, at most a few words, in the third person; null when empty.
    private static string? Object(string value, string name)
    {
        var text = ObjectEnd().Split(value)[0];

        // "I moved to Boston last month": the time belongs to the event, not to the attribute.
        if (RelativeDates.Resolve(text, DateTimeOffset.UnixEpoch) is { } time)
        {
            text = text[..time.Index];
        }

        text = text.Trim().TrimEnd('.', '!', ',', ';', ':', ' ');
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }

        if (words.Length > MaxObjectWords)
        {
            text = string.Join(' ', words.Take(MaxObjectWords));
        }

        return ThirdPerson.Rewrite(text, name);
    }

    // The slot of an object: its content words, lower case, so "painting" and "Painting!" are one slot.
    private static string Key(string obj) =>
        string.Join(' ', obj.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !Text.Stopwords.Contains(w)).Take(4).Select(w => w.Trim('.', ',', '!', '\'', '"')));

    private static string Noun(string phrase) => phrase.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('s');

    private static string Finish(string text)
    {
        var trimmed = text.Trim().TrimEnd('.', '!', ',', ';', ' ');
        return trimmed.Length == 0 ? trimmed : char.ToUpperInvariant(trimmed[0]) + trimmed[1..];
    }

    [GeneratedRegex(@"^(?:(?:yeah|yes|yep|oh|wow|well|so|and|but|also|actually|haha|lol|ah|hey|um|hmm|omg|ooh|aww|sure|ok|okay|totally|honestly|anyway|thanks|thank you)\b[,!.]*\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Interjection();

    [GeneratedRegex(@"\s[-–—]\s|,? and it (?:was|is|'s)\b|,? which (?:was|is)\b|[;:]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseEnd();

    [GeneratedRegex(@"[-–—]\s|[,;:()]|\s(?:because|but|so that|since|when|if|though|although|which|as it|cause|'cause)\s|\sand (?:it|that|this|they)\b|\sso (?:I|we)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ObjectEnd();

    [GeneratedRegex(@"\b(?:I|[Ww]e|[Mm]y [a-z]+(?: [a-z]+)?)(?:(?<have>'ve| have)|(?<be>'m|'re| am| are))? (?:just |recently |finally |also |actually |even |already |all |both )?(?<verb>[a-zA-Z]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FirstPersonSubject();

    [GeneratedRegex(@"\b(?:I|[Ww]e)(?:'m|'re| am| are| will|'ll) (?:going|gonna|planning|thinking|about|starting|heading|off|getting|taking|having|doing|visiting|celebrating|attending|moving|traveling|travelling)\b", RegexOptions.CultureInvariant)]
    private static partial Regex PlanOrNow();

    [GeneratedRegex(@"\bI(?: really| absolutely| totally| just| also| truly| still| do)? (?<verb>love|like|enjoy|adore|prefer|hate|dislike)(?<to> to)? (?<obj>[^.!?]{3,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Preference();

    [GeneratedRegex(@"^(?:it|that|this|those|these|them|you|your|yours|how|the way|what|when|is|are|was|were|in (?:you|us|yourself|each other)|seeing|hearing|reading about|hear|see|talk|chat|tell|check|know|meet up|catch up|hang out|help make that)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reaction();

    [GeneratedRegex(@"\bI(?:'m| am)(?<not> not)? (?:really |so |totally |super )?(?:into|passionate about|a (?:big |huge )?fan of|obsessed with) (?<obj>[^.!?]{3,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Into();

    [GeneratedRegex(@"\b[Mm]y (?:all-time )?favou?rite (?<what>[a-z]+(?: [a-z]+)?) (?:is|are|was|has to be) (?<obj>[^.!?]{2,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Favourite();

    [GeneratedRegex(@"\bI(?:'m| am) (?:now |currently |still |happily )?(?<status>single|married|engaged|divorced|widowed|pregnant|retired)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Status();

    [GeneratedRegex(@"\bI(?:'m| am) (?<age>[1-9][0-9]) (?:years old|now)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Age();

    [GeneratedRegex(@"\bI (?:now |currently |still )?(?:live|moved|relocated) (?:in|to) (?<obj>[A-Z][^.!?]{1,80})", RegexOptions.CultureInvariant)]
    private static partial Regex Lives();

    [GeneratedRegex(@"\bI(?:'m| am) (?:originally )?from (?<obj>[A-Z][^.!?]{1,80})", RegexOptions.CultureInvariant)]
    private static partial Regex From();

    [GeneratedRegex(@"\bI (?:now |currently |still )?work (?<prep>as|at|for|in) (?<obj>[^.!?]{2,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Work();

    [GeneratedRegex(@"\bI(?:'m| am) (?:also |still |now |proudly )?(?<article>an?) (?<obj>[^.!?]{2,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Identity();

    [GeneratedRegex(@"^(?:bit|little|lot|big fan|huge fan|fan|mess|wreck|sucker|part|member of|way|while)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotIdentity();

    [GeneratedRegex(@"\bI(?:'m| am) (?:a |an |pretty |very |quite |really |so |kind of |a bit )?(?<trait>[a-z]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Trait();

    [GeneratedRegex(@"\bI(?: have|'ve got| have got) (?<obj>(?:a |an |two |three |four |five |[2-9] )?(?:[a-z]+ )?(?:kids|children|sons?|daughters?|husband|wife|partner|boyfriend|girlfriend|dogs?|cats?|pets?|brothers?|sisters?|siblings|grandkids|grandchildren))\b", RegexOptions.CultureInvariant)]
    private static partial Regex Has();

    [GeneratedRegex(@"\b[Mm]y (?<rel>kids|children|son|daughter|husband|wife|partner|boyfriend|girlfriend|dog|dogs|cat|cats|pets|siblings|grandkids)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Family();

    [GeneratedRegex(@"\bI (?:really |truly |strongly |deeply )?(?<verb>believe|value|care about) (?<obj>[^.!?]{3,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Values();

    [GeneratedRegex(@"(?<obj>\b[a-zA-Z][a-zA-Z' -]{2,40}?) (?:is|are) (?:really |so |super |very |incredibly )?important to me\b", RegexOptions.CultureInvariant)]
    private static partial Regex ImportantToMe();

    [GeneratedRegex(@"\b(?:I (?:really )?want to|I plan to|I(?:'m| am) planning to|I hope to|I(?:'m| am) hoping to|[Mm]y goal is to|[Mm]y dream is to|I(?:'d| would) (?:really )?love to|(?<keen>I(?:'m| am) (?:really )?keen on)|(?<think>I(?:'m| am) (?:thinking about|considering))) (?<obj>[^.!?]{3,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Goal();

    [GeneratedRegex(@"\bI (?:also |still |usually |often |sometimes )?(?<verb>play|paint|draw|write|run|swim|hike|cook|bake|sing|dance|volunteer|teach|knit|garden|collect|practice|practise|study) (?<obj>[^.!?]{2,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Activity();

    [GeneratedRegex(@"\bI(?:'m| am) (?:currently |still |now |also )?(?<verb>learning|studying|taking|working on|training for|writing|building|volunteering at|volunteering with|practicing|practising) (?<obj>[^.!?]{2,120})", RegexOptions.CultureInvariant)]
    private static partial Regex Doing();
}
