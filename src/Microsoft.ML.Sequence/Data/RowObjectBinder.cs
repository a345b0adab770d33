namespace Microsoft.ML.Sequence.Data;

/// <summary>Fills row objects from a cursor's current row.</summary>
internal static class RowObjectBinder
{
    /// <summary>For each writable member of the mapping, the index of its column in <paramref name="schema"/>.</summary>
    public static int[] Bind(RowClassMapping mapping, SequenceSchema schema)
    {
        var indices = new int[mapping.Members.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            RowClassMember member = mapping.Members[i];
            if (!member.CanWrite)
            {
                indices[i] = -1;
                continue;
            }

            if (!schema.TryGetIndex(member.Column.Name, out int index))
            {
                throw new InvalidOperationException(
                    $"{mapping.Type.Name}.{member.Name} needs column \"{member.Column.Name}\", which the data does not have; it has: {string.Join(", ", schema.Select(c => c.Name))}.");
            }

            Type want = member.Column.Type.ClrType;
            if (schema[index].Type.ClrType != want)
            {
                throw new InvalidOperationException(
                    $"{mapping.Type.Name}.{member.Name} is {want.Name} but column \"{member.Column.Name}\" holds {schema[index].Type}.");
            }

            indices[i] = index;
        }

        return indices;
    }

    public static TRow Fill<TRow>(RowClassMapping mapping, int[] indices, DataCursor cursor)
        where TRow : class, new()
    {
        var row = new TRow();
        for (int i = 0; i < indices.Length; i++)
        {
            if (indices[i] < 0)
            {
                continue;
            }

            object value = cursor.GetBoxedValue(indices[i]);
            if (value is Array array)
            {
                value = array.Clone();
            }

            mapping.Members[i].Write(row, value);
        }

        return row;
    }
}
