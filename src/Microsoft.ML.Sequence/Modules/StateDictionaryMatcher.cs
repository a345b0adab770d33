using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Pairs a module's state entries with the tensors of a state dictionary, checking keys and shapes first so
/// that a failed load changes nothing.</summary>
internal static class StateDictionaryMatcher
{
    /// <summary>The (target, source) pairs to copy.</summary>
    /// <exception cref="ArgumentException">A shape differs, or (strict) a key is missing or unexpected; the message
    /// lists every problem with its key and both shapes.</exception>
    public static List<(Tensor Target, Tensor Source)> Match(IEnumerable<(string Name, Tensor Target)> entries,
        IReadOnlyDictionary<string, Tensor> state, bool strict, string moduleName)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var copies = new List<(Tensor Target, Tensor Source)>();
        foreach ((string name, Tensor target) in entries)
        {
            known.Add(name);
            if (!state.TryGetValue(name, out Tensor? source) || source is null)
            {
                if (strict)
                {
                    problems.Add($"missing key '{name}' (module expects shape {Format(target.Shape)})");
                }

                continue;
            }

            if (!target.Shape.SequenceEqual(source.Shape))
            {
                problems.Add($"shape mismatch for '{name}': module has {Format(target.Shape)}, state has {Format(source.Shape)}");
                continue;
            }

            copies.Add((target, source));
        }

        if (strict)
        {
            problems.AddRange(state.Keys.Where(k => !known.Contains(k)).Select(k => $"unexpected key '{k}'"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(
                $"Cannot load the state dictionary into {moduleName}: {string.Join("; ", problems)}.", "state");
        }

        return copies;
    }

    private static string Format(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}
