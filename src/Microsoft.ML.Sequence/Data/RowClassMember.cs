using System.Reflection;

namespace Microsoft.ML.Sequence.Data;

/// <summary>One mapped member of a row class: how to read and write it, and its column.</summary>
internal sealed class RowClassMember
{
    private readonly PropertyInfo? _property;
    private readonly FieldInfo? _field;

    public RowClassMember(MemberInfo member, SchemaColumn column, int sourceIndex, string[]? headerNames)
    {
        _property = member as PropertyInfo;
        _field = member as FieldInfo;
        Column = column;
        SourceIndex = sourceIndex;
        HeaderNames = headerNames;
        Name = member.Name;
    }

    public string Name { get; }

    public SchemaColumn Column { get; }

    public int SourceIndex { get; }

    public string[]? HeaderNames { get; }

    public bool CanWrite => _field is not null ? !_field.IsInitOnly : _property!.SetMethod is { IsPublic: true };

    public object? Read(object row) => _property is not null ? _property.GetValue(row) : _field!.GetValue(row);

    public void Write(object row, object? value)
    {
        if (_property is not null)
        {
            _property.SetValue(row, value);
        }
        else
        {
            _field!.SetValue(row, value);
        }
    }
}
