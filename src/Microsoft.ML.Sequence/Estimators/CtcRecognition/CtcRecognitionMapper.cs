using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Mapping;

namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>A recognizer bound to one input schema: reads each row's image or features and writes the predicted text
/// (and, on request, the frame probabilities).</summary>
internal sealed class CtcRecognitionMapper : BatchMapper<CtcSample, CtcPrediction>
{
    private const string Component = nameof(CtcRecognitionTransformer);
    private readonly CtcRecognitionTransformer _model;
    private readonly DataViewSchema.Column _input;
    private readonly OutputKind[] _kinds;

    public CtcRecognitionMapper(CtcRecognitionTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        CtcRecognizerOptions options = model.Options;
        (_input, CtcInputKind kind, int featureSize) = CtcInputReader.Find(inputSchema, options, Component);
        if (kind != model.InputKind || featureSize != model.FeatureSize)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"{Component}: column '{_input.Name}' is {_input.Type}; the model was trained on {(model.InputKind == CtcInputKind.Image ? "images" : $"frames of {model.FeatureSize} features")}.");
        }

        var columns = new List<OutputColumn> { new(options.PredictedTextColumnName, TextDataViewType.Instance) };
        var kinds = new List<OutputKind> { OutputKind.Text };
        if (options.OutputFrameProbabilities)
        {
            columns.Add(new(options.FrameProbabilitiesColumnName, new VectorDataViewType(NumberDataViewType.Single)));
            kinds.Add(OutputKind.FrameProbabilities);
        }

        if (options.TopK > 1)
        {
            columns.Add(new(options.HypothesesColumnName, new VectorDataViewType(TextDataViewType.Instance)));
            kinds.Add(OutputKind.Hypotheses);
            columns.Add(new(options.HypothesisScoresColumnName, new VectorDataViewType(NumberDataViewType.Single)));
            kinds.Add(OutputKind.HypothesisScores);
        }

        OutputColumns = columns;
        _kinds = kinds.ToArray();
        BatchSize = options.PredictionBatchSize;
    }

    private enum OutputKind
    {
        Text,
        FrameProbabilities,
        Hypotheses,
        HypothesisScores,
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_input.Name];

    public override int BatchSize { get; }

    public override Func<CtcSample> CreateInputReader(DataViewRow row) =>
        CtcInputReader.Create(row, _input, _model.InputKind, _model.InputSize, _model.FeatureSize, "prediction", Component);

    public override IReadOnlyList<CtcPrediction> Map(IReadOnlyList<CtcSample> inputs) => _model.Recognize(inputs);

    public override Delegate CreateGetter(int outputColumn, Func<CtcPrediction> current) => _kinds[outputColumn] switch
    {
        OutputKind.Text => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = current().Text.AsMemory()),
        OutputKind.Hypotheses => (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            IReadOnlyList<CtcHypothesis> hypotheses = current().Hypotheses ?? [];
            VBufferEditor<ReadOnlyMemory<char>> editor = VBufferEditor.Create(ref value, hypotheses.Count);
            for (int i = 0; i < hypotheses.Count; i++)
            {
                editor.Values[i] = hypotheses[i].Text.AsMemory();
            }

            value = editor.Commit();
        }),
        OutputKind.HypothesisScores => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            IReadOnlyList<CtcHypothesis> hypotheses = current().Hypotheses ?? [];
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, hypotheses.Count);
            for (int i = 0; i < hypotheses.Count; i++)
            {
                editor.Values[i] = (float)hypotheses[i].Score;
            }

            value = editor.Commit();
        }),
        _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            float[] scores = current().LogProbabilities;
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, scores.Length);
            for (int i = 0; i < scores.Length; i++)
            {
                editor.Values[i] = MathF.Exp(scores[i]);
            }

            value = editor.Commit();
        }),
    };
}
