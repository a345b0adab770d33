using System.Reflection;

namespace Microsoft.ML.Sequence.Persistence;

/// <summary>Maps component kind names to the types that load them. Types marked with
/// <see cref="PersistableComponentAttribute"/> are found automatically in loaded assemblies that reference this library;
/// <see cref="Register(Type)"/> adds one explicitly.</summary>
public static class ComponentRegistry
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, RegisteredComponent> Kinds = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> Scanned = new();

    /// <summary>Registers a component type.</summary>
    /// <param name="componentType">A class implementing <see cref="IPersistableComponent"/>, marked with
    /// <see cref="PersistableComponentAttribute"/>, with a <c>public static</c> method <c>Load(ComponentLoadContext)</c>
    /// returning the type.</param>
    /// <exception cref="ArgumentException">The type breaks one of these rules, or its kind is taken by another type.</exception>
    public static void Register(Type componentType)
    {
        ArgumentNullException.ThrowIfNull(componentType);
        RegisteredComponent component = Describe(componentType);
        lock (Gate)
        {
            if (Kinds.TryGetValue(component.Kind, out RegisteredComponent? existing) && existing.Type != componentType)
            {
                throw new ArgumentException(
                    $"Component kind '{component.Kind}' is taken by {existing.Type.FullName}; {componentType.FullName} needs another.");
            }

            Kinds[component.Kind] = component;
        }
    }

    /// <summary>Registers every marked component type in <paramref name="assembly"/>.</summary>
    /// <param name="assembly">The assembly to scan.</param>
    public static void RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }

        foreach (Type type in types.Where(t => t.GetCustomAttribute<PersistableComponentAttribute>() is not null))
        {
            Register(type);
        }

        lock (Gate)
        {
            Scanned.Add(assembly);
        }
    }

    /// <summary>True when <paramref name="kind"/> can be loaded (after scanning loaded assemblies).</summary>
    /// <param name="kind">Kind name.</param>
    /// <returns>True when registered.</returns>
    public static bool IsRegistered(string kind) => TryResolve(kind, out _);

    internal static bool TryResolve(string kind, out RegisteredComponent? component)
    {
        lock (Gate)
        {
            if (Kinds.TryGetValue(kind, out component))
            {
                return true;
            }
        }

        string self = typeof(ComponentRegistry).Assembly.GetName().Name!;
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            bool scanned;
            lock (Gate)
            {
                scanned = Scanned.Contains(assembly);
            }

            if (!scanned && !assembly.IsDynamic &&
                (assembly == typeof(ComponentRegistry).Assembly || assembly.GetReferencedAssemblies().Any(a => a.Name == self)))
            {
                RegisterAssembly(assembly);
            }
        }

        lock (Gate)
        {
            return Kinds.TryGetValue(kind, out component);
        }
    }

    internal static RegisteredComponent Describe(Type type)
    {
        var attribute = type.GetCustomAttribute<PersistableComponentAttribute>()
            ?? throw new ArgumentException($"{type.FullName} has no [PersistableComponent(kind, version)] attribute.");
        if (!typeof(IPersistableComponent).IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type.FullName} does not implement {nameof(IPersistableComponent)}.");
        }

        MethodInfo? load = type.GetMethod("Load", BindingFlags.Public | BindingFlags.Static, [typeof(ComponentLoadContext)]);
        if (load is null || !type.IsAssignableFrom(load.ReturnType))
        {
            throw new ArgumentException($"{type.FullName} needs 'public static {type.Name} Load(ComponentLoadContext context)'.");
        }

        return new RegisteredComponent(type, attribute.Kind, attribute.Version,
            context => (IPersistableComponent)load.Invoke(null, [context])!);
    }
}

/// <summary>A registered component type.</summary>
internal sealed record RegisteredComponent(Type Type, string Kind, int Version, Func<ComponentLoadContext, IPersistableComponent> Load);
