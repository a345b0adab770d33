using System.Collections;

namespace Microsoft.ML.Sequence.Data;

/// <summary>The ordered, immutable list of columns of a data view.</summary>
public sealed class SequenceSchema : IReadOnlyList<SchemaColumn>
{
    private readonly SchemaColumn[] _columns;
    private readonly Dictionary<string, int> _indices;

    /// <summary>A schema with the given columns, in order.</summary>
    /// <param name="columns">The columns; names must be unique.</param>
    /// <exception cref="ArgumentException">Two columns share a name.</exception>
    public SequenceSchema(IEnumerable<SchemaColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
        _indices = new Dictionary<string, int>(_columns.Length, StringComparer.Ordinal);
        for (int i = 0; i < _columns.Length; i++)
        {
            if (!_indices.TryAdd(_columns[i].Name, i))
            {
                throw new ArgumentException($"Column \"{_columns[i].Name}\" appears twice in the schema.", nameof(columns));
            }
        }
    }

    /// <summary>Number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based column index.</param>
    /// <returns>The column.</returns>
    public SchemaColumn this[int index] => _columns[index];

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <param name="name">Column name.</param>
    /// <returns>The column.</returns>
    /// <exception cref="KeyNotFoundException">No such column; the message lists the columns there are.</exception>
    public SchemaColumn this[string name] => _columns[IndexOf(name)];

    /// <summary>Index of the column named <paramref name="name"/>.</summary>
    /// <param name="name">Column name.</param>
    /// <returns>Its zero-based index.</returns>
    /// <exception cref="KeyNotFoundException">No such column; the message lists the columns there are.</exception>
    public int IndexOf(string name)
    {
        if (TryGetIndex(name, out int index))
        {
            return index;
        }

        throw new KeyNotFoundException($"Column \"{name}\" not found; the schema has: {string.Join(", ", _columns.Select(c => c.Name))}.");
    }

    /// <summary>Looks a column up by name.</summary>
    /// <param name="name">Column name.</param>
    /// <param name="index">Its index when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGetIndex(string name, out int index) => _indices.TryGetValue(name, out index);

    /// <summary>A new schema with <paramref name="column"/> replacing the column of the same name, or appended.</summary>
    /// <param name="column">The column to set.</param>
    /// <returns>The new schema.</returns>
    public SequenceSchema With(SchemaColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var columns = _columns.ToList();
        if (TryGetIndex(column.Name, out int index))
        {
            columns[index] = column;
        }
        else
        {
            columns.Add(column);
        }

        return new SequenceSchema(columns);
    }

    /// <inheritdoc/>
    public IEnumerator<SchemaColumn> GetEnumerator() => ((IEnumerable<SchemaColumn>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The columns, one per line.</summary>
    /// <returns>For example <c>Label: Boolean</c> and <c>Text: Text</c> on separate lines.</returns>
    public override string ToString() => string.Join(Environment.NewLine, _columns.Select(c => c.ToString()));
}
