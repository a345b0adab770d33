using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.Data.Mapping;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary><c>LoadAudio</c> bound to one input schema: reads each row's path and appends its samples.</summary>
internal sealed class AudioLoadingMapper : BatchMapper<AudioFileRow, float[]>
{
    private readonly AudioLoadingTransformer _model;
    private readonly DataViewSchema.Column _path;

    public AudioLoadingMapper(AudioLoadingTransformer model, DataViewSchema inputSchema)
    {
        _model = model;
        AudioLoadingOptions options = model.Options;
        _path = AudioLoadingEstimator.FindPathColumn(inputSchema, options.InputColumnName);
        OutputColumns = [new(options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single), AudioColumns.SampleRateAnnotation(options.SampleRate))];
    }

    public override IReadOnlyList<OutputColumn> OutputColumns { get; }

    public override IReadOnlyList<string> InputColumnNames => [_path.Name];

    // Files are read as the look-ahead cursor fills a batch; a small batch keeps little audio in memory.
    public override int BatchSize => 16;

    public override Func<AudioFileRow> CreateInputReader(DataViewRow row)
    {
        Func<string> read = RowReaders.Text(row, _path);
        return () => new AudioFileRow(read(), row.Position);
    }

    public override IReadOnlyList<float[]> Map(IReadOnlyList<AudioFileRow> inputs) => inputs.Select(_model.Load).ToArray();

    public override Delegate CreateGetter(int outputColumn, Func<float[]> current) =>
        (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            float[] samples = current();
            VBufferEditor<float> editor = VBufferEditor.Create(ref value, samples.Length);
            samples.AsSpan().CopyTo(editor.Values);
            value = editor.Commit();
        });
}
