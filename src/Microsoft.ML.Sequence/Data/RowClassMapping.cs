using System.Reflection;

namespace Microsoft.ML.Sequence.Data;

/// <summary>How the public members of a row class <c>T</c> map to schema columns (convention plus attributes).</summary>
internal sealed class RowClassMapping
{
    private static readonly Dictionary<Type, RowClassMapping> Cache = new();

    private RowClassMapping(Type type, IReadOnlyList<RowClassMember> members)
    {
        Type = type;
        Members = members;
        Schema = new SequenceSchema(members.Select(m => m.Column));
    }

    public Type Type { get; }

    public IReadOnlyList<RowClassMember> Members { get; }

    public SequenceSchema Schema { get; }

    public static RowClassMapping For(Type type)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(type, out RowClassMapping? mapping))
            {
                mapping = Create(type);
                Cache[type] = mapping;
            }

            return mapping;
        }
    }

    private static RowClassMapping Create(Type type)
    {
        var members = new List<RowClassMember>();
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        IEnumerable<MemberInfo> candidates = type.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0)
            .Cast<MemberInfo>().Concat(type.GetFields(flags)).OrderBy(m => m.MetadataToken);
        foreach (MemberInfo member in candidates)
        {
            if (member.GetCustomAttribute<IgnoreColumnAttribute>() is not null)
            {
                continue;
            }

            Type memberType = member is PropertyInfo p ? p.PropertyType : ((FieldInfo)member).FieldType;
            var column = member.GetCustomAttribute<SequenceColumnAttribute>();
            var key = member.GetCustomAttribute<KeyColumnAttribute>();
            SequenceColumnType columnType = ColumnTypeOf(type, member.Name, memberType, key, column?.Size ?? 0);
            members.Add(new RowClassMember(member, new SchemaColumn(column?.Name ?? member.Name, columnType),
                column?.SourceIndex ?? -1, column?.HeaderNames));
        }

        if (members.Count == 0)
        {
            throw new ArgumentException($"{type.Name} has no public properties or fields to map to columns.");
        }

        return new RowClassMapping(type, members);
    }

    private static SequenceColumnType ColumnTypeOf(Type owner, string name, Type type, KeyColumnAttribute? key, int size)
    {
        if (type.IsArray)
        {
            SequenceColumnType item = ScalarType(owner, name, type.GetElementType()!, key);
            return new VectorColumnType(item, size);
        }

        if (size != 0)
        {
            throw new ArgumentException($"{owner.Name}.{name}: Size is only allowed on array members.");
        }

        return ScalarType(owner, name, type, key);
    }

    private static SequenceColumnType ScalarType(Type owner, string name, Type type, KeyColumnAttribute? key)
    {
        if (key is not null)
        {
            if (type != typeof(long))
            {
                throw new ArgumentException($"{owner.Name}.{name}: a [KeyColumn] member must be long or long[], not {type.Name}.");
            }

            return new KeyColumnType(key.Count);
        }

        if (type == typeof(string)) return TextColumnType.Instance;
        if (type == typeof(bool)) return BooleanColumnType.Instance;
        if (type == typeof(int) || type == typeof(long) || type == typeof(float) || type == typeof(double))
        {
            return NumberColumnType.FromClrType(type);
        }

        throw new NotSupportedException(
            $"{owner.Name}.{name} has type {type.Name}, which maps to no column type; use string, bool, int, long, float, double, an array of these, or mark it [IgnoreColumn].");
    }
}
