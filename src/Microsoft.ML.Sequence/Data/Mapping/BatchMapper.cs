using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Mapping;

/// <summary>
/// What a fitted model of ours adds to a data view: the columns it appends, how it reads one row's input, and how it
/// scores many rows in one forward pass. <see cref="BatchMapping"/> turns it into ML.NET's lazy, batched
/// <see cref="IDataView"/> (for <c>Transform</c>) and into an <see cref="Microsoft.ML.Data.IRowToRowMapper"/> (for
/// <c>CreatePredictionEngine</c>); both score a row through the same <see cref="Map"/>, so they give the same numbers.
/// </summary>
/// <typeparam name="TInput">One row's input, as the model reads it (for example its token keys).</typeparam>
/// <typeparam name="TOutput">One row's output (for example its class probabilities).</typeparam>
internal abstract class BatchMapper<TInput, TOutput>
{
    /// <summary>The columns appended to the input schema, in order.</summary>
    public abstract IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <summary>The input columns <see cref="CreateInputReader"/> reads.</summary>
    public abstract IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>Rows scored per forward pass by a cursor of <c>Transform</c>'s output.</summary>
    public abstract int BatchSize { get; }

    /// <summary>Makes a reader of the current row's input from <paramref name="row"/>'s getters.</summary>
    /// <param name="row">A row (or cursor) of the input schema, with <see cref="InputColumnNames"/> active.</param>
    /// <returns>Reads the row's input each time it is called; it throws, naming the column and row, on bad values.</returns>
    public abstract Func<TInput> CreateInputReader(DataViewRow row);

    /// <summary>Scores rows in one forward pass.</summary>
    /// <param name="inputs">The rows' inputs, in order.</param>
    /// <returns>One output per input, in order.</returns>
    public abstract IReadOnlyList<TOutput> Map(IReadOnlyList<TInput> inputs);

    /// <summary>Makes the getter of one output column.</summary>
    /// <param name="outputColumn">An index into <see cref="OutputColumns"/>.</param>
    /// <param name="current">Returns the current row's output.</param>
    /// <returns>A <c>ValueGetter&lt;T&gt;</c> whose <c>T</c> is the column type's raw type.</returns>
    public abstract Delegate CreateGetter(int outputColumn, Func<TOutput> current);
}
