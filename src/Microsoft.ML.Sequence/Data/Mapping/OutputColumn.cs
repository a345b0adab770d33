using Microsoft.ML.Data;

namespace Microsoft.ML.Sequence.Data.Mapping;

/// <summary>A column a model appends to its input.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The column type.</param>
/// <param name="Annotations">The column's annotations (for example the key values of a predicted label), or null.</param>
internal sealed record OutputColumn(string Name, DataViewType Type, DataViewSchema.Annotations? Annotations = null);
