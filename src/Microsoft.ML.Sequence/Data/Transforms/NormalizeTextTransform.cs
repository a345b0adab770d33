using System.Text;
using Microsoft.ML.Sequence.Persistence;

namespace Microsoft.ML.Sequence.Data.Transforms;

/// <summary>Normalises text: case folding, optional punctuation removal, white-space collapsing. Stateless, so it is
/// its own estimator (<see cref="Fit"/> returns it).</summary>
[PersistableComponent("Sequence.NormalizeText", 1)]
public sealed class NormalizeTextTransform : ISequenceEstimator<NormalizeTextTransform>, ISequenceTransformer, IPersistableComponent
{
    private readonly NormalizeTextOptions _options;

    /// <summary>Creates the transform.</summary>
    /// <param name="options">Columns and normalisation; copied.</param>
    public NormalizeTextTransform(NormalizeTextOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ColumnRequirement.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnRequirement.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        if (!Enum.IsDefined(options.Case))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Case, "Unknown TextCase.");
        }

        _options = new NormalizeTextOptions
        {
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            Case = options.Case,
            RemovePunctuation = options.RemovePunctuation,
            CollapseWhitespace = options.CollapseWhitespace,
        };
    }

    /// <summary>Returns this transform (there is nothing to learn) after checking the input column.</summary>
    /// <param name="input">Training rows.</param>
    /// <returns>This transform.</returns>
    public NormalizeTextTransform Fit(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        return this;
    }

    /// <inheritdoc cref="ISequenceTransformer.GetOutputSchema"/>
    public SequenceSchema GetOutputSchema(SequenceSchema inputSchema)
    {
        ColumnRequirement.Require(inputSchema, _options.InputColumnName, nameof(NormalizeTextTransform), "Text", t => t is TextColumnType);
        return inputSchema.With(new SchemaColumn(_options.OutputColumnName, TextColumnType.Instance));
    }

    /// <inheritdoc/>
    public ISequenceDataView Transform(ISequenceDataView input)
    {
        GetOutputSchema(input.Schema);
        int source = input.Schema.IndexOf(_options.InputColumnName);
        return new MappedDataView(input,
            [new ComputedColumn(new SchemaColumn(_options.OutputColumnName, TextColumnType.Instance), c => Normalize(c.GetValue<string>(source)))]);
    }

    /// <summary>Normalises one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The normalised text.</returns>
    public string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (char ch in text)
        {
            if (_options.RemovePunctuation && char.IsPunctuation(ch))
            {
                continue;
            }

            if (_options.CollapseWhitespace && char.IsWhiteSpace(ch))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(_options.Case switch
            {
                TextCase.Lower => char.ToLowerInvariant(ch),
                TextCase.Upper => char.ToUpperInvariant(ch),
                _ => ch,
            });
        }

        return builder.ToString();
    }

    /// <inheritdoc/>
    public void Save(ComponentSaveContext context) => context.WriteOptions(_options);

    /// <summary>Rebuilds the transform from a model archive.</summary>
    /// <param name="context">What <see cref="Save"/> wrote.</param>
    /// <returns>The transform.</returns>
    public static NormalizeTextTransform Load(ComponentLoadContext context) => new(context.ReadOptions<NormalizeTextOptions>());
}
