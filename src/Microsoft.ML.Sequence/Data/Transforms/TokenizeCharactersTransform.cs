using System.Text;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Splits text into characters (Unicode scalar values, so a surrogate pair stays one character), producing a
/// <c>Vector&lt;Text&gt;</c>. Stateless, so it is its own estimator.</summary>
[PersistableComponent("Sequence.TokenizeCharacters", 1)]
public sealed class TokenizeCharactersTransform : ISequenceEstimator<TokenizeCharactersTransform>, ISequenceTransformer, IPersistableComponent
{
    private static readonly VectorColumnType TextVector = new(TextColumnType.Instance);
    private readonly TokenizeCharactersOptions _options;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Columns; copied.</param>
    public TokenizeCharactersTransform(TokenizeCharactersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnRequirement.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnRequirement.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        _options = new TokenizeCharactersOptions { InputColumnName = options.InputColumnName, OutputColumnName = options.OutputColumnName };
    }

    /// <summary>Returns this transform after checking the input column.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>This transform.</returns>
    public TokenizeCharactersTransform Fit(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        return this;
    }

    /// <inheritdoc cref="ISequenceTransformer.GetOutputSchema"/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ColumnRequirement.Require(inputSchema, _options.InputColumnName, nameof(TokenizeCharactersTransform),
            "Text or Vector<Text>", ColumnRequirement.IsTextOrTextVector);
        return inputSchema.With(new SchemaColumn(_options.OutputColumnName, TextVector));
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        SchemaColumn column = input.Schema[_options.InputColumnName];
        int source = input.Schema.IndexOf(_options.InputColumnName);
        Func<DataCursor, object> compute = column.Type is TextColumnType
            ? c => Split(c.GetValue<string>(source))
            : c => c.GetValue<string[]>(source).SelectMany(Split).ToArray();
        return new MappedDataView(input, [new ComputedColumn(new SchemaColumn(_options.OutputColumnName, TextVector), compute)]);
    }

    /// <summary>Splits one text into characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>One string per Unicode scalar value.</returns>
    public static string[] Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }

        return result.ToArray();
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context) => context.WriteOptions(_options);

    /// <summary>Rebuilds the transform from a model archive.</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The transform.</returns>
    public static TokenizeCharactersTransform Load(ComponentLoadContext context) => new(context.ReadOptions<TokenizeCharactersOptions>());
}
