using Microsoft.ML.Data;
using Microsoft.ML.Sequence.Data.Columns;
using Microsoft.ML.Sequence.MlNet;

namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>Reads WAV files named by a path column into a column of samples: made by
/// <c>mlContext.Transforms.LoadAudio</c>. Nothing is learned; <see cref="Fit"/> checks the schema and returns the
/// <see cref="AudioLoadingTransformer"/>.</summary>
/// <remarks><b>Input column</b>: Text (a path per row). <b>Output column</b>: Vector&lt;Single&gt; of variable length,
/// one channel at <see cref="AudioLoadingOptions.SampleRate"/>, annotated with <c>SampleRate</c> (Int32).</remarks>
public sealed class AudioLoadingEstimator : IEstimator<AudioLoadingTransformer>
{
    private const string Component = "LoadAudio";
    private readonly AudioLoadingOptions _options;

    internal AudioLoadingEstimator(AudioLoadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>A copy of the options.</summary>
    public AudioLoadingOptions Options => _options.Clone();

    /// <summary>Checks that <paramref name="input"/> has the path column and returns the transformer.</summary>
    /// <param name="input">The data the transformer will read.</param>
    /// <returns>The transformer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not Text.</exception>
    public AudioLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        FindPathColumn(input.Schema, _options.InputColumnName);
        return new AudioLoadingTransformer(_options);
    }

    /// <summary>The input shape plus the samples column.</summary>
    /// <param name="inputSchema">The shape of the data <see cref="Fit"/> will see.</param>
    /// <returns>The output shape.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The path column is missing or not Text.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column path = InputColumns.Find(inputSchema, _options.InputColumnName, "path", Component);
        CheckPath(ColumnShape.Of(path), _options.InputColumnName);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.OutputColumnName] = MlNetInternals.CreateColumn(_options.OutputColumnName, SchemaShape.Column.VectorKind.VariableVector,
            NumberDataViewType.Single, false, AudioColumns.SampleRateShape());
        return new SchemaShape(columns.Values);
    }

    internal static DataViewSchema.Column FindPathColumn(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = InputColumns.Find(schema, name, "path", Component);
        CheckPath(InputColumns.Shape(column.Type), name);
        return column;
    }

    private static void CheckPath(ColumnShape shape, string name)
    {
        if (!shape.IsScalar(TextDataViewType.Instance))
        {
            throw InputColumns.Mismatch(name, "path", Component, "Text (one WAV path per row)", shape);
        }
    }
}
