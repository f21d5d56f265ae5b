using HelaMem.Cli.Answering;
using HelaMem.Llm;

namespace HelaMem.Cli.Tests;

public sealed class ChatProviderSettingsTests
{
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["HelaMem__Llm__Provider"] = "openai",
        ["HelaMem__Llm__Endpoint"] = "http://localhost:11434/v1",
        ["HelaMem__Llm__ChatModel"] = "llama3.2",
        ["HelaMem__Llm__ApiKey"] = "sk-env-SECRET",
        ["HelaMem__Llm__MaxRetries"] = "1",
        ["HelaMem__Llm__TimeoutSeconds"] = "2.5",
    };

    [Fact]
    public void The_silos_variables_configure_the_provider_and_options_override_all_but_the_key()
    {
        var fromEnvironment = ChatProviderSettings.Read(Variables.GetValueOrDefault, null, null, null, null);
        Assert.Equal(LlmOptions.OpenAI, fromEnvironment.Provider);
        Assert.Equal("http://localhost:11434/v1", fromEnvironment.Endpoint);
        Assert.Equal("llama3.2", fromEnvironment.ChatModel);
        Assert.Equal("sk-env-SECRET", fromEnvironment.ApiKey);
        Assert.Equal(1, fromEnvironment.MaxRetries);
        Assert.Equal(2.5, fromEnvironment.TimeoutSeconds);

        // No embedding model is needed: only chat is called.
        Assert.Null(fromEnvironment.EmbeddingModel);

        var overridden = ChatProviderSettings.Read(Variables.GetValueOrDefault, "azure-openai", "https://r.openai.azure.com", "my-deployment", "2024-10-21");
        Assert.Equal(LlmOptions.AzureOpenAI, overridden.Provider);
        Assert.Equal("https://r.openai.azure.com", overridden.Endpoint);
        Assert.Equal("my-deployment", overridden.ChatModel);
        Assert.Equal("2024-10-21", overridden.ApiVersion);
        Assert.Equal("sk-env-SECRET", overridden.ApiKey);
    }

    [Theory]
    [InlineData("HelaMem__Llm__MaxRetries", "three", "HelaMem__Llm__MaxRetries is 'three'; it must be a whole number")]
    [InlineData("HelaMem__Llm__TimeoutSeconds", "soon", "HelaMem__Llm__TimeoutSeconds is 'soon'; it must be a number")]
    [InlineData("HelaMem__Llm__MaxRetries", "11", "HelaMem:Llm:MaxRetries is 11; it must be between 0 and 10.")]
    [InlineData("HelaMem__Llm__ApiKey", "has space SECRET", "HelaMem:Llm:ApiKey must not be empty nor contain whitespace.")]
    public void A_bad_variable_is_a_usage_error_naming_it_and_never_the_key(string name, string value, string error)
    {
        var variables = new Dictionary<string, string>(Variables, StringComparer.Ordinal) { [name] = value };

        var thrown = Assert.Throws<CliUsageException>(() => ChatProviderSettings.Read(variables.GetValueOrDefault, null, null, null, null));

        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", thrown.Message.Replace(error, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
