namespace HelaMem.Llm.Tests.Fakes;

/// <summary>What the fake provider does with the next request (scripted per test; <see cref="Ok"/> when nothing is queued).</summary>
public enum FakeReply
{
    /// <summary>A normal answer with usage.</summary>
    Ok,

    /// <summary>429 with Retry-After: 1 (seconds).</summary>
    TooManyRequests,

    /// <summary>500 with an error body.</summary>
    ServerError,

    /// <summary>Never answers (until the client gives up).</summary>
    Hang,

    /// <summary>200 with a truncated JSON body.</summary>
    MalformedJson,

    /// <summary>Azure's refusal of the prompt: 400 with error code content_filter.</summary>
    ContentFilterRefusal,

    /// <summary>Azure's cut answer: 200 with finish_reason content_filter.</summary>
    ContentFilterFinish,

    /// <summary>Embeddings one number shorter than asked for (a model that ignores or cannot honour <c>dimensions</c>).</summary>
    WrongLength,
}
