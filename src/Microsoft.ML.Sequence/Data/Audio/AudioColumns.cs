using Microsoft.ML.Data;
using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>The <c>SampleRate</c> annotation that ties a column of samples to its rate: written by <c>LoadAudio</c>,
/// read by <c>LogMelSpectrogram</c>.</summary>
internal static class AudioColumns
{
    /// <summary>The annotation's name; its value is an Int32 scalar, the rate in Hz.</summary>
    public const string SampleRateKind = "SampleRate";

    /// <summary>The annotations of a column of samples at <paramref name="sampleRate"/>.</summary>
    public static DataViewSchema.Annotations SampleRateAnnotation(int sampleRate)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(SampleRateKind, NumberDataViewType.Int32, (ref int value) => value = sampleRate);
        return builder.ToAnnotations();
    }

    /// <summary>The annotation's shape, for an estimator's output <see cref="SchemaShape"/>.</summary>
    public static SchemaShape SampleRateShape() =>
        new([MlNetInternals.CreateColumn(SampleRateKind, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Int32, false)]);

    /// <summary>The rate a column is annotated with, or null when it has no (Int32) <c>SampleRate</c> annotation.</summary>
    public static int? SampleRate(DataViewSchema.Column column)
    {
        DataViewSchema.Column? annotation = column.Annotations.Schema.GetColumnOrNull(SampleRateKind);
        if (annotation is not { } found || !found.Type.Equals(NumberDataViewType.Int32))
        {
            return null;
        }

        int rate = 0;
        column.Annotations.GetValue(SampleRateKind, ref rate);
        return rate;
    }

    /// <summary>Whether a column of an estimator's input carries an Int32 <c>SampleRate</c> annotation.</summary>
    /// <remarks>Walks the annotations' shape (public) rather than <c>SchemaShape.TryFindColumn</c>, which is internal.</remarks>
    public static bool HasSampleRate(SchemaShape.Column column) =>
        column.Annotations is { } annotations && annotations.Any(found => found.Name == SampleRateKind
            && found.Kind == SchemaShape.Column.VectorKind.Scalar && found.ItemType.Equals(NumberDataViewType.Int32));
}
