namespace HelaMem.Silo.Tests.Api;

/// <summary>Test classes that swap Console.Error (process-wide) to read the silo's refusal lines run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleErrorCapture
{
    public const string Name = "Console.Error capture";
}
