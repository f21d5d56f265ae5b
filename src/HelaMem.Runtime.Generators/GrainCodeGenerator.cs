using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HelaMem.Runtime.Generators;

/// <summary>
/// Emits, for every grain interface declared in or implemented by a grain class of the compilation, a proxy
/// (the grain reference callers use), an invoker (a switch on the method id that calls the grain, no reflection)
/// and one argument holder per method; plus an assembly-level manifest that lists them and the grain classes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainCodeGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var nodes = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null } or ClassDeclarationSyntax { BaseList: not null },
                static (syntax, cancellationToken) => GrainModelExtractor.Extract(syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellationToken), cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .Collect();

        context.RegisterSourceOutput(nodes, static (production, models) => Produce(production, models));
    }

    private static void Produce(SourceProductionContext context, ImmutableArray<NodeModel> models)
    {
        var interfaces = new Dictionary<string, InterfaceModel>(System.StringComparer.Ordinal);
        var classes = new SortedSet<string>(System.StringComparer.Ordinal);
        var hasErrors = false;
        foreach (var model in models)
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                hasErrors = true;
                context.ReportDiagnostic(Diagnostic.Create(Rule(diagnostic.Id), diagnostic.Location, diagnostic.Message));
            }

            foreach (var grainInterface in model.Interfaces)
            {
                interfaces[grainInterface.FullName] = grainInterface;
            }

            if (model.GrainClass is not null)
            {
                classes.Add(model.GrainClass);
            }
        }

        if (hasErrors || (interfaces.Count == 0 && classes.Count == 0))
        {
            return;
        }

        var ordered = interfaces.Values.OrderBy(i => i.FullName, System.StringComparer.Ordinal).ToList();
        context.AddSource("HelaMem.GrainCode.g.cs", GrainCodeEmitter.Emit(ordered, classes.ToList()));
    }

    private static DiagnosticDescriptor Rule(string id) =>
        new(id, "Unsupported grain declaration", "{0}", "HelaMem.Grains", DiagnosticSeverity.Error, isEnabledByDefault: true);
}
