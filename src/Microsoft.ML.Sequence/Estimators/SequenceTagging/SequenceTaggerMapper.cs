using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;

namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>A tagger bound to one input schema: reads each row's tokens (Text or keys) and writes PredictedLabel (a
/// vector of keys with the tags as key values, one per token) and Score (the flattened per-token distributions).</summary>
internal sealed class SequenceTaggerMapper : BatchMapper<EncodedSentence, TaggerPrediction>
{
    private const string Component = nameof(SequenceTaggerTransformer);
    private readonly SequenceTaggerTransformer _model;
    private readonly DataViewSchema.Column _tokens;

    public SequenceTaggerMapper(SequenceTaggerTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        RecurrentSequenceTaggerOptions options = model.Options;
        _tokens = TaggerColumns.FindTokens(inputSchema, options.TokensColumnName, Component);
        int tags = model.TagNames.Count;
        OutputColumns =
        [
            new(options.PredictedLabelColumnName, new VectorDataViewType(new KeyDataViewType(typeof(uint), tags)),
                RowReaders.KeyValuesAnnotation(model.TagNames)),
            new(options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single)),
        ];
        BatchSize = options.PredictionBatchSize;
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_tokens.Name];

    public override int BatchSize { get; }

    public override Func<EncodedSentence> CreateInputReader(DataViewRow row)
    {
        Func<string[]> read = TaggerColumns.TokenReader(row, _tokens);
        return () => _model.Vocabularies.Encode(read(), null);
    }

    public override IReadOnlyList<TaggerPrediction> Map(IReadOnlyList<EncodedSentence> inputs) => _model.Predict(inputs);

    public override Delegate CreateGetter(int outputColumn, Func<TaggerPrediction> current) => outputColumn == 0
        ? (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> value) => Copy(current().Tags, t => (uint)(t + 1), ref value))
        : (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) => Copy(current().Scores, s => s, ref value));

    private static void Copy<TSource, TValue>(TSource[] source, Func<TSource, TValue> convert, ref VBuffer<TValue> destination)
    {
        VBufferEditor<TValue> editor = VBufferEditor.Create(ref destination, source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            editor.Values[i] = convert(source[i]);
        }

        destination = editor.Commit();
    }
}
