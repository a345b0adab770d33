namespace Microsoft.ML.Sequence.Persistence;

/// <summary>A transformer (or other model part) that can be written into a model archive and read back.</summary>
/// <remarks>
/// <para>This is the extension point for saving: a component in any assembly becomes savable by</para>
/// <list type="number">
/// <item>implementing this interface: <see cref="Save"/> writes options (any JSON-serialisable object), vocabularies and
/// named tensors (for example a module's state dictionary) into the context;</item>
/// <item>carrying <see cref="PersistableComponentAttribute"/> with a kind name unique across assemblies and a version;</item>
/// <item>declaring <c>public static TSelf Load(ComponentLoadContext context)</c>, which rebuilds the component from what
/// <see cref="Save"/> wrote. <see cref="ComponentLoadContext.Version"/> tells which version wrote it.</item>
/// </list>
/// <para>Loading finds the kind in every loaded assembly (or call <see cref="ComponentRegistry.Register(Type)"/>),
/// so no change to the persistence core is needed.</para>
/// </remarks>
public interface IPersistableComponent
{
    /// <summary>Writes everything needed to rebuild this component.</summary>
    /// <param name="context">Where options, vocabularies and tensors go.</param>
    void Save(ComponentSaveContext context);
}
