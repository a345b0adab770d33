namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Loads delimited text (TSV, CSV) lazily: the returned view reads the file again for each cursor.</summary>
/// <remarks>
/// <para>Blank lines are skipped. Numbers use the invariant culture; booleans are <c>0</c>, <c>1</c>, <c>true</c> or
/// <c>false</c>. The file must be UTF-8 (a byte-order mark is allowed).</para>
/// <para>Errors are <see cref="DataFormatException"/>s naming the file, the 1-based line and the column: ragged rows,
/// values that do not parse, empty numeric fields, header names not found, an empty file, invalid UTF-8. Header
/// problems and an empty file are reported by <c>Load</c>; row problems when a cursor reaches the row.</para>
/// </remarks>
public static class DelimitedTextLoader
{
    /// <summary>A view over <paramref name="path"/> with the given columns.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">Columns to produce, at least one.</param>
    /// <param name="options">Separator, header, quoting. Default: tab-separated, no header, no quoting.</param>
    /// <returns>The lazy view.</returns>
    /// <exception cref="DataFormatException">The file is empty or its header lacks a column.</exception>
    public static ISequenceDataView Load(string path, IEnumerable<LoaderColumn> columns, DelimitedTextOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(columns);
        LoaderColumn[] list = columns.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one column is needed.", nameof(columns));
        }

        options ??= new DelimitedTextOptions();
        options.Validate();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: {Path.GetFullPath(path)}", path);
        }

        return new DelimitedTextDataView(path, list, options);
    }

    /// <summary>A view over <paramref name="path"/> whose columns come from the members of <typeparamref name="TRow"/>
    /// (<see cref="SequenceColumnAttribute.SourceIndex"/> or <see cref="SequenceColumnAttribute.HeaderNames"/>).</summary>
    /// <typeparam name="TRow">Row class describing the columns.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="options">Separator, header, quoting. Default: tab-separated, no header, no quoting.</param>
    /// <returns>The lazy view.</returns>
    public static ISequenceDataView Load<TRow>(string path, DelimitedTextOptions? options = null)
    {
        RowClassMapping mapping = RowClassMapping.For(typeof(TRow));
        return Load(path, mapping.Members.Select(m => new LoaderColumn(m.Column.Name, m.Column.Type, m.SourceIndex, m.HeaderNames)), options);
    }
}
