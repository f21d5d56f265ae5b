namespace HelaMem.Llm.Tests;

/// <summary>The settings' validation: one line per bad setting, naming it.</summary>
public sealed class LlmOptionsTests
{
    [Fact]
    public void The_default_is_no_provider_and_valid()
    {
        var options = new LlmOptions();
        Assert.False(options.Enabled);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void A_complete_openai_and_azure_configuration_is_valid()
    {
        Assert.Empty(new LlmOptions { Provider = "openai", ApiKey = "sk-1", ChatModel = "gpt-4o-mini", EmbeddingModel = "text-embedding-3-small" }.Validate());
        Assert.Empty(new LlmOptions { Provider = "openai", Endpoint = "http://localhost:11434/v1", ChatModel = "llama3.2", EmbeddingModel = "nomic-embed-text" }.Validate());
        Assert.Empty(new LlmOptions { Provider = "azure-openai", Endpoint = "https://r.openai.azure.com", ChatModel = "chat", EmbeddingModel = "embed", ApiVersion = "2024-10-21" }.Validate());
    }

    [Theory]
    [InlineData("Provider=anthropic", "HelaMem:Llm:Provider is 'anthropic'; it must be one of none, openai, azure-openai.")]
    [InlineData("Provider=azure-openai;Endpoint=", "HelaMem:Llm:Endpoint is required for azure-openai")]
    [InlineData("Provider=azure-openai;Endpoint=http://r.openai.azure.com", "HelaMem:Llm:Endpoint 'http://r.openai.azure.com' is not an https URL.")]
    [InlineData("Endpoint=localhost:11434", "HelaMem:Llm:Endpoint 'localhost:11434' is not an http or https URL.")]
    [InlineData("Endpoint=;ApiKey=", "HelaMem:Llm:ApiKey is required for openai at api.openai.com")]
    [InlineData("ChatModel=", "HelaMem:Llm:ChatModel is required when HelaMem:Llm:Provider is openai (the model for chat).")]
    [InlineData("Provider=azure-openai;EmbeddingModel=", "HelaMem:Llm:EmbeddingModel is required when HelaMem:Llm:Provider is azure-openai (the deployment name for embeddings).")]
    [InlineData("Provider=azure-openai;ApiVersion=2023-05-15", "HelaMem:Llm:ApiVersion is '2023-05-15'; it must be one of ")]
    [InlineData("ApiVersion=2024-10-21", "HelaMem:Llm:ApiVersion applies to azure-openai only")]
    [InlineData("TimeoutSeconds=0", "HelaMem:Llm:TimeoutSeconds is 0; it must be in (0, 3600].")]
    [InlineData("MaxRetries=-1", "HelaMem:Llm:MaxRetries is -1; it must be between 0 and 10.")]
    [InlineData("BreakAfterFailures=0", "HelaMem:Llm:BreakAfterFailures is 0; it must be between 1 and 1000.")]
    [InlineData("BreakSeconds=-5", "HelaMem:Llm:BreakSeconds is -5; it must be in (0, 3600].")]
    public void A_bad_setting_gives_one_line_naming_it(string settings, string expected)
    {
        var options = new LlmOptions { Provider = "openai", Endpoint = "https://api.example.com/v1", ApiKey = "sk-1", ChatModel = "c", EmbeddingModel = "e" };
        foreach (var setting in settings.Split(';'))
        {
            var (name, value) = (setting.Split('=')[0], setting.Split('=')[1]);
            var property = typeof(LlmOptions).GetProperty(name)!;
            object? parsed = value.Length == 0 ? null : property.PropertyType == typeof(double) ? double.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                : property.PropertyType == typeof(int) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : value;
            property.SetValue(options, parsed);
        }

        var error = Assert.Single(options.Validate());
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_azure_api_versions_are_the_wire_names_of_the_pinned_sdk()
    {
        Assert.Contains("2024-10-21", AzureApiVersions.Names);
        Assert.Contains("2025-04-01-preview", AzureApiVersions.Names);
        Assert.True(AzureApiVersions.IsKnown("2024-06-01"));
        Assert.False(AzureApiVersions.IsKnown("2024-13-01"));
    }
}
