using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Maps text values to keys of a fitted <see cref="Vocabulary"/>; the output column's
/// <see cref="KeyColumnType"/> carries the vocabulary, so keys map back.</summary>
/// <remarks>A value outside the vocabulary maps to UNK when the vocabulary has one, otherwise to 0 (missing, PAD).</remarks>
[PersistableComponent("Sequence.MapValueToKey", 1)]
public sealed class MapValueToKeyTransformer : ISequenceTransformer, IPersistableComponent
{
    private readonly MapValueToKeyOptions _options;
    private readonly KeyColumnType _keyType;

    /// <summary>A transformer with a given vocabulary (fitted, or built by hand).</summary>
    /// <param name="options">Columns (the vocabulary limits are kept for the record); validated and copied.</param>
    /// <param name="vocabulary">The vocabulary.</param>
    public MapValueToKeyTransformer(MapValueToKeyOptions options, Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validated();
        Vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        _keyType = new KeyColumnType(vocabulary);
    }

    /// <summary>The vocabulary.</summary>
    public Vocabulary Vocabulary { get; }

    /// <inheritdoc/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema) => OutputSchema(inputSchema, _options, _keyType);

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SequenceSchema output = GetOutputSchema(input.Schema);
        int source = input.Schema.IndexOf(_options.InputColumnName);
        SchemaColumn column = output[_options.OutputColumnName];
        Vocabulary vocabulary = Vocabulary;
        Func<DataCursor, object> compute = column.Type is VectorColumnType
            ? c =>
            {
                string[] values = c.GetValue<string[]>(source);
                var keys = new long[values.Length];
                for (int i = 0; i < keys.Length; i++)
                {
                    keys[i] = vocabulary.GetKey(values[i]);
                }

                return keys;
            }
            : c => vocabulary.GetKey(c.GetValue<string>(source));
        return new MappedDataView(input, [new ComputedColumn(column, compute)]);
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.WriteOptions(_options);
        context.WriteVocabulary("vocabulary", Vocabulary);
    }

    /// <summary>Rebuilds the transformer from a model archive.</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The transformer.</returns>
    public static MapValueToKeyTransformer Load(ComponentLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new MapValueToKeyTransformer(context.ReadOptions<MapValueToKeyOptions>(), context.ReadVocabulary("vocabulary"));
    }

    internal static SequenceSchema OutputSchema(SequenceSchema inputSchema, MapValueToKeyOptions options, KeyColumnType keyType)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaColumn input = ColumnRequirement.Require(inputSchema, options.InputColumnName, "MapValueToKey",
            "Text or Vector<Text>", ColumnRequirement.IsTextOrTextVector);
        SequenceColumnType type = input.Type is VectorColumnType vector ? new VectorColumnType(keyType, vector.Size) : keyType;
        return inputSchema.With(new SchemaColumn(options.OutputColumnName, type));
    }
}
