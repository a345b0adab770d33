using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>A read-only name → tensor map that enumerates in insertion order (state-dict order: a module's own
/// parameters, then its buffers, then each child in registration order), so files written from it are stable.</summary>
internal sealed class OrderedTensorDictionary : IReadOnlyDictionary<string, Tensor>
{
    private readonly List<KeyValuePair<string, Tensor>> _entries = new();
    private readonly Dictionary<string, Tensor> _lookup = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<Tensor> Values => _entries.Select(e => e.Value);

    public Tensor this[string key] => _lookup[key];

    public void Add(string key, Tensor value)
    {
        _lookup.Add(key, value);
        _entries.Add(new KeyValuePair<string, Tensor>(key, value));
    }

    public bool ContainsKey(string key) => _lookup.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _lookup.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
