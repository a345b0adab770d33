using Microsoft.ML.Sequence.Data;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence;

/// <summary>Saving and loading models (one zip: manifest plus safetensors weights) and creating prediction engines.</summary>
public sealed class SequenceModelCatalog : SequenceCatalogBase
{
    internal SequenceModelCatalog(SequenceContext context)
        : base(context)
    {
    }

    /// <summary>Saves atomically to a file (see <see cref="ModelArchive"/>).</summary>
    /// <param name="model">The transformer or chain.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="path">Destination file.</param>
    public void Save(ISequenceTransformer model, SequenceSchema inputSchema, string path) => ModelArchive.Save(model, inputSchema, path);

    /// <summary>Saves to a stream.</summary>
    /// <param name="model">The transformer or chain.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <param name="stream">Destination; left open.</param>
    public void Save(ISequenceTransformer model, SequenceSchema inputSchema, Stream stream) => ModelArchive.Save(model, inputSchema, stream);

    /// <summary>Loads a model file onto the context's device.</summary>
    /// <param name="path">The file.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <returns>The model.</returns>
    public ISequenceTransformer Load(string path, out SequenceSchema inputSchema) => ModelArchive.Load(path, out inputSchema, Context.Device);

    /// <summary>Loads a model from a stream onto the context's device.</summary>
    /// <param name="stream">A seekable stream.</param>
    /// <param name="inputSchema">Schema of the data the model expects.</param>
    /// <returns>The model.</returns>
    public ISequenceTransformer Load(Stream stream, out SequenceSchema inputSchema) => ModelArchive.Load(stream, out inputSchema, Context.Device);

    /// <summary>A typed prediction engine (not thread-safe; see <see cref="SequencePredictor{TInput, TOutput}"/>).</summary>
    /// <typeparam name="TInput">Input row class.</typeparam>
    /// <typeparam name="TOutput">Output row class.</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="inputSchema">Schema the model was saved with, to check <typeparamref name="TInput"/> against, or null. Default: null.</param>
    /// <returns>The engine.</returns>
    public SequencePredictor<TInput, TOutput> CreatePredictionEngine<TInput, TOutput>(ISequenceTransformer model, SequenceSchema? inputSchema = null)
        where TInput : class
        where TOutput : class, new() => new(model, inputSchema);

    /// <summary>A thread-safe pool of prediction engines for services.</summary>
    /// <typeparam name="TInput">Input row class.</typeparam>
    /// <typeparam name="TOutput">Output row class.</typeparam>
    /// <param name="model">The model, shared by the engines (its <c>Transform</c> must be safe to call concurrently).</param>
    /// <param name="inputSchema">Schema the model was saved with, or null. Default: null.</param>
    /// <returns>The pool.</returns>
    public SequencePredictorPool<TInput, TOutput> CreatePredictionEnginePool<TInput, TOutput>(ISequenceTransformer model, SequenceSchema? inputSchema = null)
        where TInput : class
        where TOutput : class, new() => new(() => new SequencePredictor<TInput, TOutput>(model, inputSchema));

    /// <summary>A thread-safe pool whose engines each load their own copy of the model file onto the context's device, so
    /// the model need not be safe for concurrent use.</summary>
    /// <typeparam name="TInput">Input row class.</typeparam>
    /// <typeparam name="TOutput">Output row class.</typeparam>
    /// <param name="modelPath">The model file.</param>
    /// <returns>The pool; dispose it to free the models.</returns>
    public SequencePredictorPool<TInput, TOutput> CreatePredictionEnginePool<TInput, TOutput>(string modelPath)
        where TInput : class
        where TOutput : class, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return new(() =>
        {
            ISequenceTransformer model = ModelArchive.Load(modelPath, out SequenceSchema schema, Context.Device);
            return new SequencePredictor<TInput, TOutput>(model, schema, ownsModel: true);
        });
    }
}
