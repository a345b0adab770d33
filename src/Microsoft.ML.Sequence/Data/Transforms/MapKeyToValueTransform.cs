using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Maps keys back to their text values using the vocabulary carried by the input column's
/// <see cref="KeyColumnType"/>. Key 0 becomes the empty string (or <see cref="Vocabulary.PadToken"/> when the vocabulary
/// has PAD). Stateless, so it is its own estimator.</summary>
[PersistableComponent("Sequence.MapKeyToValue", 1)]
public sealed class MapKeyToValueTransform : ISequenceEstimator<MapKeyToValueTransform>, ISequenceTransformer, IPersistableComponent
{
    private static readonly VectorColumnType TextVector = new(TextColumnType.Instance);
    private readonly MapKeyToValueOptions _options;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Columns; copied.</param>
    public MapKeyToValueTransform(MapKeyToValueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnRequirement.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnRequirement.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        _options = new MapKeyToValueOptions { InputColumnName = options.InputColumnName, OutputColumnName = options.OutputColumnName };
    }

    /// <summary>Returns this transform after checking the input column.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>This transform.</returns>
    public MapKeyToValueTransform Fit(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        return this;
    }

    /// <inheritdoc cref="ISequenceTransformer.GetOutputSchema"/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        SchemaColumn input = ColumnRequirement.Require(inputSchema, _options.InputColumnName, nameof(MapKeyToValueTransform),
            "a key or Vector<Key>", ColumnRequirement.IsKeyOrKeyVector);
        SequenceColumnType type = input.Type is VectorColumnType vector ? new VectorColumnType(TextColumnType.Instance, vector.Size) : TextColumnType.Instance;
        return inputSchema.With(new SchemaColumn(_options.OutputColumnName, type));
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        SequenceSchema output = GetOutputSchema(input.Schema);
        SchemaColumn column = input.Schema[_options.InputColumnName];
        int source = input.Schema.IndexOf(_options.InputColumnName);
        var keyType = (KeyColumnType)(column.Type is VectorColumnType v ? v.ItemType : column.Type);
        Vocabulary vocabulary = keyType.Vocabulary ?? throw new ArgumentException(
            $"{nameof(MapKeyToValueTransform)}: column \"{column.Name}\" is {column.Type} without key values; map it from a fitted vocabulary first.");
        Func<DataCursor, object> compute = column.Type is VectorColumnType
            ? c => c.GetValue<long[]>(source).Select(vocabulary.GetValue).ToArray()
            : c => vocabulary.GetValue(c.GetValue<long>(source));
        return new MappedDataView(input, [new ComputedColumn(output[_options.OutputColumnName], compute)]);
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context) => context.WriteOptions(_options);

    /// <summary>Rebuilds the transform from a model archive.</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The transform.</returns>
    public static MapKeyToValueTransform Load(ComponentLoadContext context) => new(context.ReadOptions<MapKeyToValueOptions>());
}
