using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Persistence;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Benchmarks;

/// <summary>A savable stand-in for a trained model part: an embedding weight tensor, saved through the persistence
/// extension point (its transform passes rows through unchanged).</summary>
[PersistableComponent("Benchmarks.Embedding", 1)]
public sealed class BenchEmbeddingComponent : ISequenceTransformer, IPersistableComponent, IDisposable
{
    public BenchEmbeddingComponent(Tensor weight)
    {
        Weight = weight;
    }

    public Tensor Weight { get; }

    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) => inputSchema;

    public ISequenceDataView Transform(ISequenceDataView input) => input;

    public void Save(ComponentSaveContext context)
    {
        context.WriteOptions(new { Rows = Weight.shape[0], Dimension = Weight.shape[1] });
        context.WriteTensor("weight", Weight);
    }

    public static BenchEmbeddingComponent Load(ComponentLoadContext context) => new(context.ReadTensor("weight"));

    public void Dispose() => Weight.Dispose();
}
