namespace Microsoft.ML.Sequence;

/// <summary>Base of every catalog: gives extension methods the context (seed, device, log, cancellation), so third
/// parties add entries exactly the way this library does.</summary>
public abstract class SequenceCatalogBase
{
    /// <summary>Creates a catalog for <paramref name="context"/>.</summary>
    /// <param name="context">The owning context.</param>
    protected SequenceCatalogBase(SequenceContext context)
    {
        Context = context ?? throw new ArgumentNullException(nameof(context));
    }

    /// <summary>The owning context.</summary>
    public SequenceContext Context { get; }
}
