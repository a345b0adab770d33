using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Splits text into word tokens at white space (or given separators), producing a <c>Vector&lt;Text&gt;</c>.
/// Stateless, so it is its own estimator.</summary>
[PersistableComponent("Sequence.TokenizeWords", 1)]
public sealed class TokenizeWordsTransform : ISequenceEstimator<TokenizeWordsTransform>, ISequenceTransformer, IPersistableComponent
{
    private static readonly VectorColumnType TextVector = new(TextColumnType.Instance);
    private readonly TokenizeWordsOptions _options;
    private readonly char[]? _separators;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Columns and separators; copied.</param>
    public TokenizeWordsTransform(TokenizeWordsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnRequirement.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnRequirement.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        if (options.Separators is { Length: 0 })
        {
            throw new ArgumentException("Separators must hold at least one character, or be null for white space.", nameof(options));
        }

        _options = new TokenizeWordsOptions
        {
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            Separators = options.Separators,
        };
        _separators = options.Separators?.ToCharArray();
    }

    /// <summary>Returns this transform after checking the input column.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>This transform.</returns>
    public TokenizeWordsTransform Fit(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        return this;
    }

    /// <inheritdoc cref="ISequenceTransformer.GetOutputSchema"/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ColumnRequirement.Require(inputSchema, _options.InputColumnName, nameof(TokenizeWordsTransform), "Text", t => t is TextColumnType);
        return inputSchema.With(new SchemaColumn(_options.OutputColumnName, TextVector));
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        int source = input.Schema.IndexOf(_options.InputColumnName);
        return new MappedDataView(input,
            [new ComputedColumn(new SchemaColumn(_options.OutputColumnName, TextVector), c => Tokenize(c.GetValue<string>(source)))]);
    }

    /// <summary>Splits one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its tokens, without empty ones.</returns>
    public string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(_separators, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context) => context.WriteOptions(_options);

    /// <summary>Rebuilds the transform from a model archive.</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The transform.</returns>
    public static TokenizeWordsTransform Load(ComponentLoadContext context) => new(context.ReadOptions<TokenizeWordsOptions>());
}
