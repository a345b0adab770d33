using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Modules;
using Microsoft.ML.Sequence.Persistence;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(LogMelSpectrogramTransformer), null, typeof(SignatureLoadModel), "Log-mel spectrogram",
    LogMelSpectrogramTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Turns each row's audio samples into log-mel spectrogram frames (made by
/// <c>mlContext.Transforms.LogMelSpectrogram</c>); the definition is in <see cref="LogMelSpectrogramOptions"/>.</summary>
/// <remarks>
/// <para>The output column is Vector&lt;Single, *, F&gt; (F = <see cref="LogMelSpectrogramOptions.MelBands"/>): T frames
/// of F log band energies, flattened frame-major, T depending on the row's length. <see cref="Transform"/> is lazy: a
/// cursor reads 16 rows ahead and transforms each row's frames in one TorchSharp <c>torch.fft.rfft</c> call; the
/// prediction engine gives the same numbers, bit for bit.</para>
/// <para><c>mlContext.Model.Save</c> stores the options and the sample rate fixed at <c>Fit</c>; a loaded transform
/// applied to audio annotated with another rate throws.</para>
/// </remarks>
public sealed class LogMelSpectrogramTransformer : ITransformer
{
    internal const string LoaderSignature = "MlSequenceLogMel";
    internal const string Kind = "Sequence.LogMelSpectrogram";
    internal const int KindVersion = 1;
    private readonly LogMelSpectrogramOptions _options;
    private readonly LogMelComputer _computer;

    internal LogMelSpectrogramTransformer(LogMelSpectrogramOptions options, int sampleRate)
    {
        _options = options.Clone();
        _options.SampleRate = sampleRate;
        _computer = new LogMelComputer(_options, sampleRate);
    }

    /// <summary>A copy of the options, with <see cref="LogMelSpectrogramOptions.SampleRate"/> set to the rate fixed at <c>Fit</c>.</summary>
    public LogMelSpectrogramOptions Options => _options.Clone();

    /// <summary>The input's sample rate (Hz), fixed at <c>Fit</c>.</summary>
    public int SampleRate => _computer.SampleRate;

    /// <summary>Features per frame: <see cref="LogMelSpectrogramOptions.MelBands"/>.</summary>
    public int FeatureCount => _options.MelBands;

    /// <summary>Always true: each row is computed on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>Frames produced for <paramref name="sampleCount"/> samples: 0 for none, 1 below one window, else
    /// 1 + ⌊(N − WindowLength) / HopLength⌋.</summary>
    /// <param name="sampleCount">Number of input samples, 0 or more.</param>
    /// <returns>The frame count.</returns>
    public int FrameCount(int sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return _computer.FrameCount(sampleCount);
    }

    /// <summary>The input schema plus the features column.</summary>
    /// <param name="inputSchema">The schema of the data to transform.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The samples column is missing, not a vector of Single, or annotated
    /// with another sample rate.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds the features column to <paramref name="input"/>, lazily and in batches.</summary>
    /// <param name="input">Rows with a samples column.</param>
    /// <returns>The view with the features column.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to transform.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>The features of each signal.</summary>
    internal float[][] Compute(IReadOnlyList<float[]> signals)
    {
        TorchThreads.EnsureDefault();
        return _computer.LogMel(signals);
    }

    /// <summary>The power spectra of each signal (frame-major, FftSize / 2 + 1 bins per frame).</summary>
    internal float[][] PowerSpectra(IReadOnlyList<float[]> signals)
    {
        TorchThreads.EnsureDefault();
        return _computer.PowerSpectra(signals);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(_options);
        ComponentPersistence.Save(ctx, VersionInfo(), component);
    }

    private LogMelSpectrogramMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new LogMelSpectrogramMapper(this, inputSchema);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("LOGMELSP", 0x00010001, 0x00010001, 0x00010001, typeof(LogMelSpectrogramTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static LogMelSpectrogramTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        LogMelSpectrogramOptions options = context.ReadOptions<LogMelSpectrogramOptions>();
        try
        {
            options.Validate();
            int rate = options.SampleRate ?? throw new ModelFormatException($"{Kind}: the saved options hold no sample rate.");
            return new LogMelSpectrogramTransformer(options, rate);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{Kind}: a saved option is invalid: {e.Message}", e);
        }
    }
}
