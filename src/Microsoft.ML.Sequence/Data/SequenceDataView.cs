namespace Microsoft.ML.Sequence.Data;

/// <summary>Creates data views from objects and in-memory columns, and derives views (cache, shuffle, take, split).
/// The context's <c>Data</c> catalog exposes the same operations with the context's seed.</summary>
public static class SequenceDataView
{
    /// <summary>A lazy view over row objects; each cursor enumerates <paramref name="rows"/> again.</summary>
    /// <typeparam name="TRow">Row class; its public properties and fields become columns (see
    /// <see cref="SequenceColumnAttribute"/>, <see cref="KeyColumnAttribute"/>, <see cref="IgnoreColumnAttribute"/>).</typeparam>
    /// <param name="rows">The rows.</param>
    /// <returns>The view.</returns>
    public static ISequenceDataView FromEnumerable<TRow>(IEnumerable<TRow> rows)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new EnumerableDataView<TRow>(rows, RowClassMapping.For(typeof(TRow)));
    }

    /// <summary>The schema a row class maps to.</summary>
    /// <typeparam name="TRow">Row class.</typeparam>
    /// <returns>Its schema.</returns>
    public static SequenceSchema SchemaOf<TRow>() => RowClassMapping.For(typeof(TRow)).Schema;

    /// <summary>A view over in-memory columns: one array per schema column, element type its CLR type.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="columns">One array per column, all of the same length; they are not copied and must not change.</param>
    /// <returns>The view (shufflable, row count known).</returns>
    public static ISequenceDataView FromColumns(SequenceSchema schema, IReadOnlyList<Array> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        return new InMemoryDataView(schema, columns.ToArray());
    }

    /// <summary>Reads every row of <paramref name="view"/> into memory once.</summary>
    /// <param name="view">The source view.</param>
    /// <param name="cancellationToken">Stops reading. Default: none.</param>
    /// <returns>A view with a known row count that can shuffle; the same object when already in memory.</returns>
    public static ISequenceDataView Cache(ISequenceDataView view, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(view);
        return InMemoryDataView.From(view, cancellationToken);
    }

    /// <summary>The rows of <paramref name="view"/> in an order drawn from <paramref name="seed"/> (reads it into memory).</summary>
    /// <param name="view">The source view.</param>
    /// <param name="seed">Seed of the permutation.</param>
    /// <returns>The shuffled view.</returns>
    public static ISequenceDataView Shuffle(ISequenceDataView view, int seed)
    {
        InMemoryDataView memory = InMemoryDataView.From(view);
        int[] order = Enumerable.Range(0, (int)memory.RowCount!.Value).ToArray();
        new Random(seed).Shuffle(order);
        return memory.Select(order);
    }

    /// <summary>The first <paramref name="count"/> rows, read lazily.</summary>
    /// <param name="view">The source view.</param>
    /// <param name="count">Maximum number of rows, at least 0.</param>
    /// <returns>The view.</returns>
    public static ISequenceDataView Take(ISequenceDataView view, long count)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new TakeDataView(view, count);
    }

    /// <summary>Splits the rows at random into a training and a test part (reads the view into memory).</summary>
    /// <param name="view">The source view.</param>
    /// <param name="testFraction">Fraction of rows in the test part, in (0, 1). Default: 0.1.</param>
    /// <param name="seed">Seed of the split.</param>
    /// <returns>The two parts; each keeps the source order.</returns>
    public static TrainTestViews TrainTestSplit(ISequenceDataView view, double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "Expected a fraction strictly between 0 and 1.");
        }

        InMemoryDataView memory = InMemoryDataView.From(view);
        int count = (int)memory.RowCount!.Value;
        int[] order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        int testCount = (int)Math.Round(count * testFraction);
        int[] test = order.Take(testCount).Order().ToArray();
        int[] train = order.Skip(testCount).Order().ToArray();
        return new TrainTestViews(memory.Select(train), memory.Select(test));
    }

    /// <summary>Reads the rows of <paramref name="view"/> back into objects, lazily.</summary>
    /// <typeparam name="TRow">Row class with a public parameterless constructor; each mapped member is filled from the
    /// column of its name, whose type must match.</typeparam>
    /// <param name="view">The source view.</param>
    /// <returns>The rows; arrays are copies the caller owns.</returns>
    /// <exception cref="InvalidOperationException">A member has no matching column, or its type differs.</exception>
    public static IEnumerable<TRow> ToEnumerable<TRow>(ISequenceDataView view)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(view);
        RowClassMapping mapping = RowClassMapping.For(typeof(TRow));
        int[] indices = RowObjectBinder.Bind(mapping, view.Schema);
        return Enumerate();

        IEnumerable<TRow> Enumerate()
        {
            using DataCursor cursor = view.GetCursor();
            while (cursor.MoveNext())
            {
                yield return RowObjectBinder.Fill<TRow>(mapping, indices, cursor);
            }
        }
    }
}
