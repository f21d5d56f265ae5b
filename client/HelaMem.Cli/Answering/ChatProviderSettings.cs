using System.Globalization;
using HelaMem.Llm;

namespace HelaMem.Cli.Answering;

/// <summary>
/// The chat provider of <c>eval locomo --answer</c>: the silo's settings (<see cref="LlmOptions"/>, section
/// <c>HelaMem:Llm</c>) read from the same environment variables (<c>HelaMem__Llm__Provider</c>, ...), with the
/// non-secret ones overridable by options. The key is read from <c>HelaMem__Llm__ApiKey</c> only: a flag would leave
/// it in the shell history and in the process list.
/// </summary>
public static class ChatProviderSettings
{
    /// <summary>The environment variable prefix, the configuration section as .NET's environment provider spells it.</summary>
    public const string Prefix = "HelaMem__Llm__";

    /// <summary>The variable that holds the key.</summary>
    public const string ApiKeyVariable = Prefix + nameof(LlmOptions.ApiKey);

    /// <summary>
    /// The provider settings from <paramref name="environment"/> and the options (an option wins over its variable);
    /// throws <see cref="CliUsageException"/> naming every bad or missing setting, never the key's value.
    /// </summary>
    public static LlmOptions Read(Func<string, string?> environment, string? provider, string? endpoint, string? chatModel, string? apiVersion)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Variable(string name) => NullIfBlank(environment(Prefix + name));

        var options = new LlmOptions
        {
            Provider = NullIfBlank(provider) ?? Variable(nameof(LlmOptions.Provider)) ?? LlmOptions.None,
            Endpoint = NullIfBlank(endpoint) ?? Variable(nameof(LlmOptions.Endpoint)),
            ApiKey = Variable(nameof(LlmOptions.ApiKey)),
            ChatModel = NullIfBlank(chatModel) ?? Variable(nameof(LlmOptions.ChatModel)),
            ApiVersion = NullIfBlank(apiVersion) ?? Variable(nameof(LlmOptions.ApiVersion)),
        };
        options.TimeoutSeconds = Number(Variable, nameof(LlmOptions.TimeoutSeconds), options.TimeoutSeconds);
        options.MaxRetries = WholeNumber(Variable, nameof(LlmOptions.MaxRetries), options.MaxRetries);
        options.BreakAfterFailures = WholeNumber(Variable, nameof(LlmOptions.BreakAfterFailures), options.BreakAfterFailures);
        options.BreakSeconds = Number(Variable, nameof(LlmOptions.BreakSeconds), options.BreakSeconds);

        if (!options.Enabled)
        {
            throw new CliUsageException(
                $"--answer needs a chat model: set --llm-provider (openai or azure-openai) or {Prefix}Provider, --chat-model or {Prefix}ChatModel, "
                + $"and the key in {ApiKeyVariable} (docs/evaluation.md)");
        }

        // The silo's own rules, less the embedding model (only chat is called); the messages name the settings.
        var errors = options.Validate(requireEmbeddingModel: false).ToList();
        if (errors.Count > 0)
        {
            throw new CliUsageException($"--answer: {string.Join(" ", errors)} (options --llm-provider, --llm-endpoint, --chat-model, --llm-api-version, or variables {Prefix}<setting>)");
        }

        return options;
    }

    private static double Number(Func<string, string?> variable, string name, double fallback)
    {
        var text = variable(name);
        return text is null ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
            : throw new CliUsageException($"{Prefix}{name} is '{text}'; it must be a number");
    }

    private static int WholeNumber(Func<string, string?> variable, string name, int fallback)
    {
        var text = variable(name);
        return text is null ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
            : throw new CliUsageException($"{Prefix}{name} is '{text}'; it must be a whole number");
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
