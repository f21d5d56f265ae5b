using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HelaMem.Runtime.Tests;

/// <summary>
/// The grain code generator run on small compilations: valid grain code yields a proxy, an invoker and a manifest
/// that compile cleanly; each unsupported declaration is a compile error with its own id. (Every other test of this
/// project also runs through code the same generator produced at build time.)
/// </summary>
public sealed class GeneratorTests
{
    private static readonly Lazy<IIncrementalGenerator> Generator = new(LoadGenerator);

    [Fact]
    public void Valid_grain_code_gets_a_proxy_an_invoker_and_a_manifest_that_compile()
    {
        var (generatorDiagnostics, compilationErrors, generated) = Run("""
            using System.Threading;
            using System.Threading.Tasks;
            using HelaMem.Runtime;
            namespace Sample;
            public interface IBase : IGrainWithStringKey { [ReadOnly] Task<int> Count(); }
            public interface ISample : IBase
            {
                Task<string> Echo(string text, int times, CancellationToken cancellationToken);
                ValueTask<int?> Maybe();
                [OneWay] Task Fire();
                [AlwaysInterleave] ValueTask Poke();
            }
            public sealed class SampleGrain : Grain, ISample
            {
                public Task<int> Count() => Task.FromResult(1);
                public Task<string> Echo(string text, int times, CancellationToken cancellationToken) => Task.FromResult(text);
                public ValueTask<int?> Maybe() => default;
                public Task Fire() => Task.CompletedTask;
                public ValueTask Poke() => default;
            }
            """);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(compilationErrors);
        Assert.Contains("Sample_ISample_Proxy", generated, StringComparison.Ordinal);
        Assert.Contains("Sample_ISample_Invoker", generated, StringComparison.Ordinal);
        Assert.Contains("builder.AddGrainClass(typeof(global::Sample.SampleGrain))", generated, StringComparison.Ordinal);
        Assert.Contains("GrainCallBehavior.ReadOnly", generated, StringComparison.Ordinal);
        Assert.Contains("GrainCallBehavior.OneWay", generated, StringComparison.Ordinal);
        Assert.Contains("GrainCallBehavior.AlwaysInterleave", generated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HMG001", "Task<T> Generic<T>(T value);")]
    [InlineData("HMG002", "int NotAsync();")]
    [InlineData("HMG003", "Task ByRef(ref int value);")]
    [InlineData("HMG004", "[OneWay] Task<int> OneWayWithResult();")]
    [InlineData("HMG006", "int Property { get; }")]
    [InlineData("HMG007", "Task TwoTokens(CancellationToken a, CancellationToken b);")]
    public void An_unsupported_grain_method_is_a_compile_error_with_its_own_id(string id, string member)
    {
        var (generatorDiagnostics, _, generated) = Run($$"""
            using System.Threading;
            using System.Threading.Tasks;
            using HelaMem.Runtime;
            namespace Sample;
            public interface IBad : IGrainWithStringKey { {{member}} }
            """);

        var diagnostic = Assert.Single(generatorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("IBad", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Null(generated);
    }

    [Fact]
    public void A_generic_grain_interface_is_a_compile_error()
    {
        var (generatorDiagnostics, _, _) = Run("""
            using System.Threading.Tasks;
            using HelaMem.Runtime;
            public interface IBox<T> : IGrainWithStringKey { Task<T> Get(); }
            """);

        Assert.Equal("HMG005", Assert.Single(generatorDiagnostics).Id);
    }

    private static (ImmutableArray<Diagnostic> GeneratorDiagnostics, IReadOnlyList<Diagnostic> CompilationErrors, string? Generated) Run(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Append(typeof(Grain).Assembly.Location)
            .Append(typeof(IGrain).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "GeneratorSample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        CSharpGeneratorDriver.Create(Generator.Value)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var generated = output.SyntaxTrees.Skip(1).FirstOrDefault()?.ToString();
        return (diagnostics, errors, generated);
    }

    // The generator is referenced as an analyzer (not as an assembly), so load the very file the build fed to the compiler.
    private static IIncrementalGenerator LoadGenerator()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "HelaMem.Orleans.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new InvalidOperationException("Repository root not found.");
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(root, "src", "HelaMem.Runtime.Generators", "bin", configuration, "netstandard2.0", "HelaMem.Runtime.Generators.dll");
        var assembly = Assembly.LoadFrom(path);
        return (IIncrementalGenerator)Activator.CreateInstance(assembly.GetType("HelaMem.Runtime.Generators.GrainCodeGenerator", throwOnError: true)!)!;
    }
}
