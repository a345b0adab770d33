using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.Modules.Pooling;

namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>A text classifier bound to one input schema: reads each row's text column as keys and writes ML.NET's
/// prediction columns (multiclass: PredictedLabel key, Score probabilities; binary: Score margin, Probability,
/// PredictedLabel Boolean).</summary>
internal sealed class TextClassifierMapper : BatchMapper<long[], ClassifierPrediction>
{
    private const string Component = nameof(TextClassifierTransformer);
    private readonly TextClassifierTransformer _model;
    private readonly DataViewSchema.Column _text;
    private readonly OutputKind[] _kinds;

    public TextClassifierMapper(TextClassifierTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        RecurrentTextClassifierOptions options = model.Options;
        (_text, TextInputKind kind) = TextInputEncoder.FindColumn(inputSchema, options.TextColumnName, Component);
        if (kind != model.Encoder.Kind)
        {
            throw InputColumns.Mismatch(options.TextColumnName, "text", Component,
                $"{model.Encoder.Kind} (as the model was trained)", InputColumns.Shape(_text.Type));
        }

        if (kind == TextInputKind.Keys && ((KeyDataViewType)((VectorDataViewType)_text.Type).ItemType).Count != (ulong)model.Vocabulary.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"{Component}: column '{options.TextColumnName}' has {((VectorDataViewType)_text.Type).ItemType}; the model was trained on {model.Vocabulary.Count} keys (use the fitted MapValueToKey of the training pipeline).");
        }

        var columns = new List<OutputColumn>();
        var kinds = new List<OutputKind>();
        int classes = model.Classes.Count;
        if (model.IsBinary)
        {
            columns.Add(new(options.ScoreColumnName, NumberDataViewType.Single));
            kinds.Add(OutputKind.Margin);
            columns.Add(new(options.ProbabilityColumnName, NumberDataViewType.Single));
            kinds.Add(OutputKind.Probability);
            columns.Add(new(options.PredictedLabelColumnName, BooleanDataViewType.Instance));
            kinds.Add(OutputKind.BooleanLabel);
        }
        else
        {
            columns.Add(new(options.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), classes), RowReaders.KeyValuesAnnotation(model.Classes)));
            kinds.Add(OutputKind.KeyLabel);
            columns.Add(new(options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, classes), RowReaders.SlotNamesAnnotation(model.Classes)));
            kinds.Add(OutputKind.Probabilities);
        }

        if (options.Pooling == TimePooling.Attention)
        {
            columns.Add(new(options.AttentionWeightsColumnName, new VectorDataViewType(NumberDataViewType.Single)));
            kinds.Add(OutputKind.AttentionWeights);
        }

        OutputColumns = columns;
        _kinds = kinds.ToArray();
        BatchSize = options.PredictionBatchSize;
    }

    private enum OutputKind
    {
        Margin,
        Probability,
        BooleanLabel,
        KeyLabel,
        Probabilities,
        AttentionWeights,
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_text.Name];

    public override int BatchSize { get; }

    public override Func<long[]> CreateInputReader(DataViewRow row)
    {
        Func<long[]> read = _model.Encoder.CreateReader(row, _text);
        long keyCount = _model.Vocabulary.Count;
        return () =>
        {
            long[] keys = read();
            long bad = Array.Find(keys, k => k > keyCount);
            return bad == 0 ? keys : throw new ArgumentOutOfRangeException(
                _text.Name, $"{Component}: row {row.Position}, column '{_text.Name}': key {bad} is outside the model's keys 0..{keyCount}.");
        };
    }

    public override IReadOnlyList<ClassifierPrediction> Map(IReadOnlyList<long[]> inputs) => _model.Score(inputs);

    public override Delegate CreateGetter(int outputColumn, Func<ClassifierPrediction> current) => _kinds[outputColumn] switch
    {
        OutputKind.Margin => (ValueGetter<float>)((ref float value) => value = current().Margin),
        OutputKind.Probability => (ValueGetter<float>)((ref float value) => value = current().Probabilities[1]),
        OutputKind.BooleanLabel => (ValueGetter<bool>)((ref bool value) => value = current().Probabilities[1] > current().Probabilities[0]),
        OutputKind.KeyLabel => (ValueGetter<uint>)((ref uint value) => value = (uint)ArgMax(current().Probabilities) + 1),
        OutputKind.Probabilities => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(current().Probabilities, ref value)),
        _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(current().AttentionWeights ?? [], ref value)),
    };

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void Copy(float[] source, ref VBuffer<float> destination)
    {
        VBufferEditor<float> editor = VBufferEditor.Create(ref destination, source.Length);
        source.AsSpan().CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
