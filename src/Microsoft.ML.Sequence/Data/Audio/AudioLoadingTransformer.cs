using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Sequence.Data.Audio;
using Microsoft.ML.Sequence.Data.Mapping;
using Microsoft.ML.Sequence.MlNet;
using Microsoft.ML.Sequence.Persistence;

// ML.NET finds the loader through this attribute in the assembly named inside a saved model: no registration call.
[assembly: LoadableClass(typeof(AudioLoadingTransformer), null, typeof(SignatureLoadModel), "Audio loader",
    AudioLoadingTransformer.LoaderSignature)]

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Reads the WAV file of each row into a column of samples (made by <c>mlContext.Transforms.LoadAudio</c>).</summary>
/// <remarks>
/// <para><b>Reading</b>: RIFF/WAVE files with PCM samples of 8 (unsigned), 16, 24 or 32 bits or IEEE float samples of 32
/// or 64 bits, plain or WAVE_FORMAT_EXTENSIBLE headers, any number of channels (mixed down by their mean) and any rate;
/// unknown chunks (LIST, fact, …) are skipped. Integer samples land in [−1, 1); float samples are kept as stored.
/// A file that is not such a WAV file raises an <see cref="AudioFormatException"/> naming the row, the column, the file
/// and the problem; a missing file raises a <see cref="FileNotFoundException"/> naming the same.</para>
/// <para><b>Resampling</b>: a file at another rate than <see cref="AudioLoadingOptions.SampleRate"/> is resampled by
/// band-limited (Kaiser-windowed sinc) interpolation whose low-pass starts at 0.9 of the lower Nyquist frequency and
/// reaches 80 dB of attenuation at it, so down-sampling does not alias; N samples at rate r become ⌈N · SampleRate / r⌉.</para>
/// <para><see cref="Transform"/> is lazy: files are read as a cursor moves, 16 at a time. The output column carries the
/// <c>SampleRate</c> annotation (Int32) that <c>LogMelSpectrogram</c> reads. <c>mlContext.Model.Save</c> stores the
/// options (the folder too); <c>mlContext.Model.Load</c> restores them.</para>
/// </remarks>
public sealed class AudioLoadingTransformer : ITransformer
{
    internal const string LoaderSignature = "MlSequenceAudioLoader";
    internal const string Kind = "Sequence.LoadAudio";
    internal const int KindVersion = 1;
    private const string Component = "LoadAudio";
    private readonly AudioLoadingOptions _options;
    private readonly ConcurrentDictionary<int, SincResampler> _resamplers = new();

    internal AudioLoadingTransformer(AudioLoadingOptions options) => _options = options.Clone();

    /// <summary>A copy of the options.</summary>
    public AudioLoadingOptions Options => _options.Clone();

    /// <summary>Always true: each row is read on its own (what a prediction engine needs).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the samples column.</summary>
    /// <param name="inputSchema">The schema of the data to read.</param>
    /// <returns>The output schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not Text.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        BatchMapping.OutputSchema(inputSchema, Mapper(inputSchema).OutputColumns);

    /// <summary>Adds the samples column to <paramref name="input"/>, lazily.</summary>
    /// <param name="input">Rows with a path column.</param>
    /// <returns>The view with the samples column.</returns>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return BatchMapping.Transform(Mapper(input.Schema), input);
    }

    /// <summary>The row-to-row mapper behind <c>CreatePredictionEngine</c>.</summary>
    /// <param name="inputSchema">The schema of the rows to read.</param>
    /// <returns>The mapper.</returns>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        BatchMapping.RowToRowMapper(Mapper(inputSchema), inputSchema);

    /// <summary>Reads, mixes down and resamples one row's file.</summary>
    internal float[] Load(AudioFileRow row)
    {
        string where = row.Row >= 0 ? $"{Component}: row {row.Row}, column '{_options.InputColumnName}'" : $"{Component}: column '{_options.InputColumnName}'";
        if (string.IsNullOrWhiteSpace(row.Path))
        {
            throw new ArgumentException($"{where}: the path is empty.", _options.InputColumnName);
        }

        string path = Path.GetFullPath(_options.AudioFolder is null ? row.Path : Path.Combine(_options.AudioFolder, row.Path));
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{where}: there is no file '{path}'.", path, e);
        }

        WavAudio audio = WavDecoder.Decode(bytes, path, where);
        if (audio.SampleRate == _options.SampleRate)
        {
            return audio.Samples;
        }

        SincResampler resampler = _resamplers.GetOrAdd(audio.SampleRate, rate => new SincResampler(rate, _options.SampleRate));
        return resampler.Resample(audio.Samples);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var component = new ComponentSaveContext(Kind, KindVersion);
        component.WriteOptions(_options);
        ComponentPersistence.Save(ctx, VersionInfo(), component);
    }

    private AudioLoadingMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new AudioLoadingMapper(this, inputSchema);
    }

    internal static VersionInfo VersionInfo() =>
        MlNetInternals.CreateVersionInfo("AUDIOLDR", 0x00010001, 0x00010001, 0x00010001, typeof(AudioLoadingTransformer), LoaderSignature);

    // Called by ML.NET's model loader through the LoadableClass attribute at the top of this file.
    private static AudioLoadingTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ComponentLoadContext context = ComponentPersistence.Load(ctx, VersionInfo(), Kind, KindVersion);
        AudioLoadingOptions options = context.ReadOptions<AudioLoadingOptions>();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException($"{Kind}: a saved option is invalid: {e.Message}", e);
        }

        return new AudioLoadingTransformer(options);
    }
}
