using Microsoft.ML.Sequence.Data;

namespace Microsoft.ML.Sequence;

/// <summary>Runs a model on objects: one row (<see cref="Predict"/>) or many in one pass (<see cref="PredictBatch"/>,
/// which lets the model batch its forward passes).</summary>
/// <typeparam name="TInput">Input row class; its columns must include the model's input columns.</typeparam>
/// <typeparam name="TOutput">Output row class; each writable member is filled from the output column of its name.</typeparam>
/// <remarks>Not thread-safe: a model may keep per-call state, so use one engine per thread, or
/// <see cref="SequencePredictorPool{TInput, TOutput}"/> in services. Mismatched row classes fail at construction with
/// the column named.</remarks>
public sealed class SequencePredictor<TInput, TOutput> : IDisposable
    where TInput : class
    where TOutput : class, new()
{
    private readonly ISequenceTransformer _model;
    private readonly bool _ownsModel;
    private readonly RowClassMapping _outputMapping;
    private readonly int[] _outputIndices;

    /// <summary>An engine over <paramref name="model"/>, which it does not own.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputSchema">Schema the model was saved with, to check <typeparamref name="TInput"/> against, or null. Default: null.</param>
    public SequencePredictor(ISequenceTransformer model, SequenceSchema? inputSchema = null)
        : this(model, inputSchema, ownsModel: false)
    {
    }

    internal SequencePredictor(ISequenceTransformer model, SequenceSchema? inputSchema, bool ownsModel)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _ownsModel = ownsModel;
        SequenceSchema rowSchema = SequenceDataView.SchemaOf<TInput>();
        if (inputSchema is not null)
        {
            foreach (SchemaColumn needed in inputSchema)
            {
                if (!rowSchema.TryGetIndex(needed.Name, out int index) || rowSchema[index].Type.ClrType != needed.Type.ClrType)
                {
                    throw new ArgumentException(
                        $"{typeof(TInput).Name} must have a member for column \"{needed.Name}\" of type {needed.Type} ({needed.Type.ClrType.Name}), which the model was trained with.");
                }
            }
        }

        OutputSchema = model.GetOutputSchema(rowSchema);
        _outputMapping = RowClassMapping.For(typeof(TOutput));
        _outputIndices = RowObjectBinder.Bind(_outputMapping, OutputSchema);
    }

    /// <summary>Schema of the model's output for <typeparamref name="TInput"/> rows.</summary>
    public SequenceSchema OutputSchema { get; }

    /// <summary>Predicts one row.</summary>
    /// <param name="row">The input.</param>
    /// <returns>A new output object.</returns>
    public TOutput Predict(TInput row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return PredictBatch([row])[0];
    }

    /// <summary>Predicts many rows in one pass over the model.</summary>
    /// <param name="rows">The inputs.</param>
    /// <returns>One new output object per input, in order.</returns>
    public IReadOnlyList<TOutput> PredictBatch(IEnumerable<TInput> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        List<TInput> list = rows.ToList();
        var results = new List<TOutput>(list.Count);
        using DataCursor cursor = _model.Transform(SequenceDataView.FromEnumerable(list)).GetCursor();
        while (cursor.MoveNext())
        {
            results.Add(RowObjectBinder.Fill<TOutput>(_outputMapping, _outputIndices, cursor));
        }

        if (results.Count != list.Count)
        {
            throw new InvalidOperationException($"The model returned {results.Count} rows for {list.Count} inputs.");
        }

        return results;
    }

    /// <summary>Disposes the model when this engine owns it (engines a pool loaded from a file); otherwise does nothing.</summary>
    public void Dispose()
    {
        if (_ownsModel)
        {
            (_model as IDisposable)?.Dispose();
        }
    }
}
