using System.Reflection;
using HelaMem.Runtime.Metadata;
using HelaMem.Runtime.Persistence;
using HelaMem.Runtime.Storage;

namespace HelaMem.Runtime.Activation;

/// <summary>
/// How to construct one grain class: its constructor and, per parameter, where the value comes from (a named
/// persistent state, the grain context, the grain factory, or a silo service). Built by reflection once per class,
/// at its first activation; never on the call path.
/// </summary>
internal sealed class GrainConstructorPlan
{
    private static readonly MethodInfo StateFactoryMethod = typeof(GrainConstructorPlan).GetMethod(nameof(CreateStateFactory), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly ConstructorInfo _constructor;
    private readonly Func<ActivationData, object?>[] _arguments;

    private GrainConstructorPlan(ConstructorInfo constructor, Func<ActivationData, object?>[] arguments)
    {
        _constructor = constructor;
        _arguments = arguments;
    }

    public static GrainConstructorPlan Build(GrainClassInfo info)
    {
        var constructor = info.ClassType.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {info.ClassType.FullName} has no public constructor.");

        var stateNames = new HashSet<string>(StringComparer.Ordinal);
        var arguments = constructor.GetParameters().Select(parameter => ArgumentSource(info, parameter, stateNames)).ToArray();
        return new GrainConstructorPlan(constructor, arguments);
    }

    public object Create(ActivationData activation)
    {
        var values = new object?[_arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _arguments[i](activation);
        }

        try
        {
            return _constructor.Invoke(values);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception.InnerException);
            throw;
        }
    }

    private static Func<ActivationData, object?> ArgumentSource(GrainClassInfo info, ParameterInfo parameter, HashSet<string> stateNames)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new InvalidOperationException($"Parameter '{parameter.Name}' of {info.ClassType.Name} has [PersistentState] but type {type.Name}; it must be IPersistentState<T>.");
            }

            if (!stateNames.Add(attribute.StateName))
            {
                throw new InvalidOperationException($"{info.ClassType.Name} declares persistent state '{attribute.StateName}' twice.");
            }

            return (Func<ActivationData, object?>)StateFactoryMethod.MakeGenericMethod(type.GetGenericArguments()[0]).Invoke(null, [attribute])!;
        }

        if (type == typeof(IGrainContext))
        {
            return static activation => activation;
        }

        if (type == typeof(IGrainFactory))
        {
            return static activation => activation.Silo.GrainFactory;
        }

        return activation => activation.Silo.Services.GetService(type)
            ?? throw new InvalidOperationException($"Cannot create grain {info.ClassType.Name}: constructor parameter '{parameter.Name}' of type {type.FullName} is not a registered silo service.");
    }

    private static Func<ActivationData, object?> CreateStateFactory<TState>(PersistentStateAttribute attribute) => activation =>
    {
        var storage = activation.Silo.GetGrainStorage(attribute.StorageName);
        var state = new PersistentState<TState>(GrainStateKey.For(activation.GrainId, attribute.StateName), storage, activation.Silo.Options.StateSerializerOptions);
        activation.AddState(state);
        return state;
    };
}
