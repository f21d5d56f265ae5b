using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace HelaMem.Runtime.Generators;

/// <summary>Turns grain interface and grain class symbols into the generator's equatable models.</summary>
internal static class GrainModelExtractor
{
    private const string GrainMarker = "HelaMem.Runtime.IGrain";

    // Interfaces of the runtime that are markers or runtime-invoked; they get no proxy of their own.
    private static readonly HashSet<string> RuntimeInterfaces = new(System.StringComparer.Ordinal)
    {
        "HelaMem.Runtime.IGrain",
        "HelaMem.Runtime.IGrainWithStringKey",
        "HelaMem.Runtime.IRemindable",
    };

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static NodeModel? Extract(ISymbol? symbol, CancellationToken cancellationToken)
    {
        if (symbol is not INamedTypeSymbol type)
        {
            return null;
        }

        var interfaces = ImmutableArray.CreateBuilder<InterfaceModel>();
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticModel>();
        string? grainClass = null;

        if (type.TypeKind == TypeKind.Interface)
        {
            if (IsGrainInterface(type))
            {
                AddInterface(type, interfaces, diagnostics, cancellationToken);
            }
        }
        else if (type.TypeKind == TypeKind.Class && !type.IsAbstract && !type.IsStatic && type.AllInterfaces.Any(IsGrainInterface))
        {
            if (type.IsGenericType)
            {
                diagnostics.Add(new DiagnosticModel("HMG005", $"Grain class '{type.Name}' is generic; grain classes must not be generic.", type.Locations.FirstOrDefault()));
            }
            else
            {
                grainClass = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                foreach (var implemented in type.AllInterfaces.Where(IsGrainInterface))
                {
                    AddInterface(implemented, interfaces, diagnostics, cancellationToken);
                }
            }
        }

        if (interfaces.Count == 0 && grainClass is null && diagnostics.Count == 0)
        {
            return null;
        }

        return new NodeModel(new EquatableArray<InterfaceModel>(interfaces.ToImmutable()), grainClass, new EquatableArray<DiagnosticModel>(diagnostics.ToImmutable()));
    }

    private static bool IsGrainInterface(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface
        && !RuntimeInterfaces.Contains(type.ToDisplayString())
        && type.AllInterfaces.Any(i => i.ToDisplayString() == GrainMarker);

    private static void AddInterface(
        INamedTypeSymbol type,
        ImmutableArray<InterfaceModel>.Builder interfaces,
        ImmutableArray<DiagnosticModel>.Builder diagnostics,
        CancellationToken cancellationToken)
    {
        if (type.IsGenericType)
        {
            diagnostics.Add(new DiagnosticModel("HMG005", $"Grain interface '{type.Name}' is generic; grain interfaces must not be generic.", type.Locations.FirstOrDefault()));
            return;
        }

        var methods = ImmutableArray.CreateBuilder<MethodModel>();
        var declaringTypes = new[] { type }.Concat(type.AllInterfaces.Where(i => !RuntimeInterfaces.Contains(i.ToDisplayString()) || i.ToDisplayString() == "HelaMem.Runtime.IRemindable"));
        foreach (var declaring in declaringTypes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in declaring.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method && method.IsAbstract)
                {
                    var model = ExtractMethod(declaring, method, diagnostics);
                    if (model is not null)
                    {
                        methods.Add(model);
                    }
                }
                else if (member is IPropertySymbol or IEventSymbol && member.IsAbstract)
                {
                    diagnostics.Add(new DiagnosticModel("HMG006", $"Grain interface '{declaring.Name}' declares '{member.Name}', which is not a method; grain interfaces contain only methods.", member.Locations.FirstOrDefault()));
                }
            }
        }

        var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var display = type.ToDisplayString();
        var identifier = new string(display.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
        interfaces.Add(new InterfaceModel(fullName, display, identifier, new EquatableArray<MethodModel>(methods.ToImmutable())));
    }

    private static MethodModel? ExtractMethod(INamedTypeSymbol declaring, IMethodSymbol method, ImmutableArray<DiagnosticModel>.Builder diagnostics)
    {
        var location = method.Locations.FirstOrDefault();
        var where = $"{declaring.Name}.{method.Name}";
        if (method.IsGenericMethod)
        {
            diagnostics.Add(new DiagnosticModel("HMG001", $"Grain method '{where}' is generic; grain methods must not have type parameters.", location));
            return null;
        }

        var returnType = method.ReturnType as INamedTypeSymbol;
        var returnName = returnType?.ConstructedFrom.ToDisplayString();
        ReturnKind kind;
        string? resultType = null;
        switch (returnName)
        {
            case "System.Threading.Tasks.Task":
                kind = ReturnKind.Task;
                break;
            case "System.Threading.Tasks.ValueTask":
                kind = ReturnKind.ValueTask;
                break;
            case "System.Threading.Tasks.Task<TResult>":
                kind = ReturnKind.TaskOfT;
                resultType = returnType!.TypeArguments[0].ToDisplayString(TypeFormat);
                break;
            case "System.Threading.Tasks.ValueTask<TResult>":
                kind = ReturnKind.ValueTaskOfT;
                resultType = returnType!.TypeArguments[0].ToDisplayString(TypeFormat);
                break;
            default:
                diagnostics.Add(new DiagnosticModel("HMG002", $"Grain method '{where}' returns '{method.ReturnType.ToDisplayString()}'; grain methods return Task, Task<T>, ValueTask or ValueTask<T>.", location));
                return null;
        }

        var parameters = ImmutableArray.CreateBuilder<ParameterModel>();
        var tokens = 0;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(new DiagnosticModel("HMG003", $"Parameter '{parameter.Name}' of grain method '{where}' is passed by reference; grain method parameters are passed by value.", parameter.Locations.FirstOrDefault() ?? location));
                return null;
            }

            var isToken = parameter.Type.ToDisplayString() == "System.Threading.CancellationToken";
            tokens += isToken ? 1 : 0;
            parameters.Add(new ParameterModel(parameter.Name, parameter.Type.ToDisplayString(TypeFormat), isToken));
        }

        if (tokens > 1)
        {
            diagnostics.Add(new DiagnosticModel("HMG007", $"Grain method '{where}' has several CancellationToken parameters; at most one is allowed.", location));
            return null;
        }

        var attributes = method.GetAttributes().Select(a => a.AttributeClass?.ToDisplayString()).ToList();
        var isOneWay = attributes.Contains("HelaMem.Runtime.OneWayAttribute");
        if (isOneWay && resultType is not null)
        {
            diagnostics.Add(new DiagnosticModel("HMG004", $"Grain method '{where}' is [OneWay] but returns a value; one-way methods return Task or ValueTask.", location));
            return null;
        }

        return new MethodModel(
            declaring.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            method.Name,
            kind,
            method.ReturnType.ToDisplayString(TypeFormat),
            resultType,
            new EquatableArray<ParameterModel>(parameters.ToImmutable()),
            attributes.Contains("HelaMem.Runtime.ReadOnlyAttribute"),
            attributes.Contains("HelaMem.Runtime.AlwaysInterleaveAttribute"),
            isOneWay);
    }
}
