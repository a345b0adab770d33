namespace Microsoft.ML.Sequence.Persistence;

/// <summary>Names a <see cref="IPersistableComponent"/>'s kind and format version in model archives.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PersistableComponentAttribute : Attribute
{
    /// <summary>Declares the kind and version.</summary>
    /// <param name="kind">Kind name stored in the manifest, unique across assemblies, e.g. <c>Sequence.MapValueToKey</c>.</param>
    /// <param name="version">Format version of what <c>Save</c> writes, from 1; raise it when the format changes. Files
    /// written by a higher version than the loaded code's are rejected.</param>
    public PersistableComponentAttribute(string kind, int version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Kind = kind;
        Version = version;
    }

    /// <summary>Kind name stored in the manifest.</summary>
    public string Kind { get; }

    /// <summary>Format version of what <c>Save</c> writes.</summary>
    public int Version { get; }
}
