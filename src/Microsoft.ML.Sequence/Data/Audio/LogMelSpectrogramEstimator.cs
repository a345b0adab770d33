using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Turns a column of audio samples into log-mel spectrogram frames: made by
/// <c>mlContext.Transforms.LogMelSpectrogram</c>. Nothing is learned; <see cref="Fit"/> fixes the sample rate (from the
/// input column's <c>SampleRate</c> annotation or <see cref="LogMelSpectrogramOptions.SampleRate"/>) and returns the
/// <see cref="LogMelSpectrogramTransformer"/>.</summary>
/// <remarks><b>Input column</b>: Vector&lt;Single&gt; of samples. <b>Output column</b>: Vector&lt;Single, *, F&gt; with
/// F = <see cref="LogMelSpectrogramOptions.MelBands"/>, a variable number of frames, flattened frame-major; the
/// definition (frame count, window, FFT, mel filters, log floor) is in <see cref="LogMelSpectrogramOptions"/>.</remarks>
public sealed class LogMelSpectrogramEstimator : IEstimator<LogMelSpectrogramTransformer>
{
    private const string Component = "LogMelSpectrogram";
    private readonly LogMelSpectrogramOptions _options;

    internal LogMelSpectrogramEstimator(LogMelSpectrogramOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        if (_options.SampleRate is int rate)
        {
            // Everything that depends on the rate is checked now when the rate is known now.
            _ = new LogMelComputer(_options, rate);
        }
    }

    /// <summary>A copy of the options.</summary>
    public LogMelSpectrogramOptions Options => _options.Clone();

    /// <summary>Fixes the sample rate from <paramref name="input"/>'s samples column and returns the transformer.</summary>
    /// <param name="input">The data the transformer will read.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The samples column is missing, not a vector of Single, has no
    /// sample rate, or one that disagrees with the options or does not fit the filters.</exception>
    public LogMelSpectrogramTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DataViewSchema.Column column = FindSamplesColumn(input.Schema, _options.InputColumnName);
        int? annotated = AudioColumns.SampleRate(column);
        int rate = (annotated, _options.SampleRate) switch
        {
            (int a, int o) when a != o => throw new ArgumentOutOfRangeException(nameof(input),
                $"{Component}: column '{column.Name}' is annotated with SampleRate {a} Hz but the options say {o} Hz."),
            (int a, _) => a,
            (null, int o) => o,
            _ => throw new ArgumentOutOfRangeException(nameof(input),
                $"{Component}: column '{column.Name}' has no SampleRate annotation (LoadAudio writes one); set LogMelSpectrogramOptions.SampleRate."),
        };
        return new LogMelSpectrogramTransformer(_options, rate);
    }

    /// <summary>The input shape plus the features column.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The samples column is missing, not a vector of Single, or has no
    /// sample rate while the options give none.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column column = InputColumns.Find(inputSchema, _options.InputColumnName, "samples", Component);
        CheckSamples(ColumnShape.Of(column), column.Name);
        if (_options.SampleRate is null && !AudioColumns.HasSampleRate(column))
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"{Component}: column '{column.Name}' has no SampleRate annotation (LoadAudio writes one); set LogMelSpectrogramOptions.SampleRate.");
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        // Vector<Single, *, F> has no known size, so its shape is a variable vector.
        columns[_options.OutputColumnName] = MlNetInternals.CreateColumn(_options.OutputColumnName, SchemaShape.Column.VectorKind.VariableVector,
            NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    internal static DataViewSchema.Column FindSamplesColumn(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, name, "samples", Component);
        CheckSamples(InputColumns.Shape(column.Type), name);
        return column;
    }

    private static void CheckSamples(ColumnShape shape, string name)
    {
        if (!shape.IsVectorOf(NumberDataViewType.Single))
        {
            throw InputColumns.Mismatch(name, "samples", Component, "Vector<Single> (audio samples, e.g. from LoadAudio)", shape);
        }
    }
}
