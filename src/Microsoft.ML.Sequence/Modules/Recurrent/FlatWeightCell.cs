using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent;

/// <summary>A per-step view of one layer and direction of a built-in layer's native parameter tensors (no parameters of its own),
/// used by <see cref="RecurrentKernel.PerStep"/>.</summary>
internal sealed class FlatWeightCell(RecurrentMode mode, IReadOnlyList<Tensor> weights, int hidden) : IRecurrentCell
{
    public int InputSize => (int)weights[0].shape[1];

    public IReadOnlyList<int> StateSizes { get; } = mode == RecurrentMode.Lstm ? [hidden, hidden] : [hidden];

    public IReadOnlyList<Tensor> Step(Tensor input, IReadOnlyList<Tensor> state) =>
        CellMath.Step(mode, input, state, weights[0], weights[1], weights.Count > 2 ? weights[2] : null,
            weights.Count > 2 ? weights[3] : null);
}
