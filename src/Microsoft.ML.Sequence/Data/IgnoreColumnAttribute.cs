namespace Microsoft.ML.Sequence.Data;

/// <summary>Leaves a public property or field out of the columns of a row class.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, AllowMultiple = false)]
public sealed class IgnoreColumnAttribute : Attribute
{
}
