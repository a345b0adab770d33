using System.Collections;

namespace Microsoft.ML.Sequence;

/// <summary>One metric per class, in key order (element <c>i</c> belongs to key <c>i + 1</c>), with the class names
/// (the label's key values).</summary>
public sealed class PerClassValues : IReadOnlyList<double>
{
    private readonly double[] _values;
    private readonly string[] _classNames;

    /// <summary>Creates the list.</summary>
    /// <param name="metricName">Name of the metric, e.g. <c>Recall</c>.</param>
    /// <param name="classNames">Class names in key order.</param>
    /// <param name="values">One value per class.</param>
    public PerClassValues(string metricName, IReadOnlyList<string> classNames, IReadOnlyList<double> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(values);
        if (classNames.Count != values.Count)
        {
            throw new ArgumentException($"{classNames.Count} class names but {values.Count} values.", nameof(values));
        }

        MetricName = metricName;
        _classNames = classNames.ToArray();
        _values = values.ToArray();
    }

    /// <summary>Name of the metric.</summary>
    public string MetricName { get; }

    /// <summary>Class names in key order.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Number of classes.</summary>
    public int Count => _values.Length;

    /// <summary>The value of the class at <paramref name="index"/> (key <paramref name="index"/> + 1).</summary>
    /// <param name="index">Zero-based class index.</param>
    /// <returns>The value.</returns>
    public double this[int index] => _values[index];

    /// <summary>The value of the class named <paramref name="className"/>.</summary>
    /// <param name="className">Class name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">No such class.</exception>
    public double this[string className]
    {
        get
        {
            int index = Array.IndexOf(_classNames, className);
            return index >= 0 ? _values[index] : throw new KeyNotFoundException($"No class named \"{className}\".");
        }
    }

    /// <inheritdoc/>
    public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
