using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Copies and strict loads of a module's state dictionary. TorchSharp's <c>state_dict()</c> hands out the
/// module's own tensors and its <c>load_state_dict</c> copies with broadcasting, so a [1] tensor would silently fill a
/// [2, 3] weight; a saved model must instead fail with the key and both shapes.</summary>
internal static class StateDictionaries
{
    /// <summary>Detached copies of every parameter and buffer, outside any dispose scope; the caller disposes them.</summary>
    public static Dictionary<string, Tensor> Snapshot(nn.Module module)
    {
        var copy = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach ((string name, Tensor value) in module.state_dict())
        {
            Tensor clone = value.detach().clone();
            clone.DetachFromDisposeScope();
            copy[name] = clone;
        }

        return copy;
    }

    /// <summary>Copies <paramref name="state"/> into the module's parameters and buffers (values only, without autograd).</summary>
    /// <exception cref="ArgumentException">A key is missing or unexpected, or a shape differs; the message names every
    /// problem with both shapes.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string moduleName)
    {
        Dictionary<string, Tensor> targets = module.state_dict();
        var problems = new List<string>();
        foreach ((string name, Tensor target) in targets)
        {
            if (!state.TryGetValue(name, out Tensor? source))
            {
                problems.Add($"missing key '{name}' (module expects shape {Format(target.shape)})");
            }
            else if (!target.shape.SequenceEqual(source.shape))
            {
                problems.Add($"shape mismatch for '{name}': module has {Format(target.shape)}, state has {Format(source.shape)}");
            }
        }

        problems.AddRange(state.Keys.Where(k => !targets.ContainsKey(k)).Select(k => $"unexpected key '{k}'"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Cannot load the state dictionary into {moduleName}: {string.Join("; ", problems)}.", nameof(state));
        }

        using var noGrad = no_grad();
        foreach ((string name, Tensor target) in targets)
        {
            target.copy_(state[name]);
        }
    }

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";
}
