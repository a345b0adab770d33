using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Mapping;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary><c>LogMelSpectrogram</c> bound to one input schema: reads each row's samples and appends its features.</summary>
internal sealed class LogMelSpectrogramMapper : BatchMapper<float[], float[]>
{
    private readonly LogMelSpectrogramTransformer _model;
    private readonly DataViewSchema.Column _samples;

    public LogMelSpectrogramMapper(LogMelSpectrogramTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        LogMelSpectrogramOptions options = model.Options;
        _samples = LogMelSpectrogramEstimator.FindSamplesColumn(inputSchema, options.InputColumnName);
        int? annotated = AudioColumns.SampleRate(_samples);
        if (annotated is int rate && rate != model.SampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"LogMelSpectrogram: column '{options.InputColumnName}' holds audio at {rate} Hz (its SampleRate annotation) but the transform was fitted for {model.SampleRate} Hz.");
        }

        OutputColumns = [new(options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 0, options.MelBands))];
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_samples.Name];

    // Rows are computed one by one; the batch only sets how many rows a cursor reads ahead.
    public override int BatchSize => 16;

    public override Func<float[]> CreateInputReader(DataViewRow row)
    {
        ValueGetter<VBuffer<float>> getter = row.GetGetter<VBuffer<float>>(_samples);
        VBuffer<float> value = default;
        return () =>
        {
            getter(ref value);
            float[] samples = new float[value.Length];
            value.CopyTo(samples);
            int bad = Array.FindIndex(samples, s => !float.IsFinite(s));
            return bad < 0 ? samples : throw new ArgumentOutOfRangeException(_samples.Name,
                $"LogMelSpectrogram: row {row.Position}, column '{_samples.Name}': sample {bad} is {samples[bad]}, not a finite number.");
        };
    }

    public override IReadOnlyList<float[]> Map(IReadOnlyList<float[]> inputs) => _model.Compute(inputs);

    public override Delegate CreateGetter(int outputColumn, Func<float[]> current) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            float[] features = current();
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, features.Length);
            features.AsSpan().CopyTo(editor.Values);
            value = editor.Commit();
        });
}
