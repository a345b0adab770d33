using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Mapping;

/// <summary>The ML.NET views of a <see cref="BatchMapper{TInput, TOutput}"/>: its output schema, its lazy batched
/// <c>Transform</c> output and its row-to-row mapper.</summary>
internal static class BatchMapping
{
    /// <summary>The input schema with the mapper's columns appended (an input column of the same name stays, hidden).</summary>
    /// <param name="inputSchema">The input schema.</param>
    /// <param name="columns">The appended columns.</param>
    /// <returns>The output schema; column i of the input is column i of the output.</returns>
    public static DataViewSchema OutputSchema(DataViewSchema inputSchema, IReadOnlyList<OutputColumn> columns)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (OutputColumn column in columns)
        {
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }

        return builder.ToSchema();
    }

    /// <summary>The lazy, batched view of <paramref name="input"/> with the mapper's columns.</summary>
    public static IDataView Transform<TInput, TOutput>(BatchMapper<TInput, TOutput> mapper, IDataView input) =>
        new BatchMappedDataView<TInput, TOutput>(mapper, input);

    /// <summary>The mapper for one row at a time (what <c>CreatePredictionEngine</c> uses).</summary>
    public static IRowToRowMapper RowToRowMapper<TInput, TOutput>(BatchMapper<TInput, TOutput> mapper, DataViewSchema inputSchema) =>
        new BatchRowToRowMapper<TInput, TOutput>(mapper, inputSchema);

    /// <summary>The input columns a set of output columns depends on.</summary>
    internal static IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema inputSchema, IEnumerable<string> mapperInputs,
        IEnumerable<DataViewSchema.Column> outputColumns)
    {
        int inputCount = inputSchema.Count;
        var needed = new SortedSet<int>();
        bool anyOutput = false;
        foreach (DataViewSchema.Column column in outputColumns)
        {
            if (column.Index < inputCount)
            {
                needed.Add(column.Index);
            }
            else
            {
                anyOutput = true;
            }
        }

        if (anyOutput)
        {
            foreach (string name in mapperInputs)
            {
                needed.Add(inputSchema[name].Index);
            }
        }

        return needed.Select(i => inputSchema[i]);
    }
}
