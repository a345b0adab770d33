using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Tests.Persistence;

/// <summary>Simulates a crash mid-save: writes some options, then throws.</summary>
[PersistableComponent("Tests.Exploding", 1)]
public sealed class ExplodingComponent : ISequenceTransformer, IPersistableComponent
{
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) => inputSchema;

    public ISequenceDataView Transform(ISequenceDataView input) => input;

    public void Save(ComponentSaveContext context)
    {
        context.WriteOptions(new { Partial = true });
        throw new IOException("simulated crash mid-save");
    }

    public static ExplodingComponent Load(ComponentLoadContext context) => new();
}
