using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.Graph;

/// <summary>Checks a whole ingest batch before anything is stored, so bad input changes nothing.</summary>
internal static class IngestValidation
{
    public static void Validate(IReadOnlyList<IngestMessage>? messages, int maxMessages, int maxLength)
    {
        if (messages is null || messages.Count == 0)
        {
            throw new ArgumentException("An ingest needs at least one message.", nameof(messages));
        }

        if (messages.Count > maxMessages)
        {
            throw new ArgumentException($"An ingest holds at most {maxMessages} messages; this one has {messages.Count}. Split it.", nameof(messages));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"Message {i} is null.", nameof(messages));
            if (string.IsNullOrWhiteSpace(message.Content))
            {
                throw new ArgumentException($"Message {i} has empty content.", nameof(messages));
            }

            if (message.Content.Length > maxLength)
            {
                throw new ArgumentException($"Message {i} is {message.Content.Length} characters long; at most {maxLength} are allowed.", nameof(messages));
            }

            if (message.Speaker is null || message.Thread is null)
            {
                throw new ArgumentException($"Message {i} needs a speaker and a thread (use \"\" or \"default\").", nameof(messages));
            }

            if (message.Speaker.Length > maxLength || message.Thread.Length > maxLength)
            {
                throw new ArgumentException($"Message {i} has a speaker or thread longer than {maxLength} characters.", nameof(messages));
            }
        }
    }
}
