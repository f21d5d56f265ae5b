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

            ValidateMetadata(message.Metadata, i, nameof(messages));
        }
    }

    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata, int message, string parameter)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > IngestLimits.MaxMetadataEntries)
        {
            throw new ArgumentException(
                $"Message {message} has {metadata.Count} metadata entries; at most {IngestLimits.MaxMetadataEntries} are allowed.", parameter);
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException($"Message {message} has an empty metadata key.", parameter);
            }

            if (key.Length > IngestLimits.MaxMetadataKeyLength)
            {
                throw new ArgumentException(
                    $"Message {message} has a metadata key of {key.Length} characters; at most {IngestLimits.MaxMetadataKeyLength} are allowed.", parameter);
            }

            if (value is null)
            {
                throw new ArgumentException($"Message {message}: metadata '{key}' is null; metadata values are strings.", parameter);
            }

            if (value.Length > IngestLimits.MaxMetadataValueLength)
            {
                throw new ArgumentException(
                    $"Message {message}: metadata '{key}' is {value.Length} characters long; at most {IngestLimits.MaxMetadataValueLength} are allowed.", parameter);
            }
        }
    }

    /// <summary>A private, read-only copy of valid metadata (null when there is none), so a caller's later change cannot reach the graph.</summary>
    public static IReadOnlyDictionary<string, string>? CopyMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return null;
        }

        var copy = new Dictionary<string, string>(metadata.Count, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            copy[key] = value;
        }

        return copy.AsReadOnly();
    }
}
