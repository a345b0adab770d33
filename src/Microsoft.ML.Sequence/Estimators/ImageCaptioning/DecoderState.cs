using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Estimators.ImageCaptioning;

/// <summary>What the decoder carries between steps for N rows: the image regions [N, L, D], their attention keys
/// projected once [N, L, A], and the LSTM's hidden and cell states [N, H].</summary>
internal sealed record DecoderState(Tensor Regions, Tensor Keys, Tensor Hidden, Tensor Cell)
{
    public DecoderState MoveToOuterDisposeScope() =>
        new(Regions.MoveToOuterDisposeScope(), Keys.MoveToOuterDisposeScope(), Hidden.MoveToOuterDisposeScope(), Cell.MoveToOuterDisposeScope());

    /// <summary>The rows <paramref name="rows"/> (int64 indices on the state's device), e.g. the beams that survive a step.</summary>
    public DecoderState Select(Tensor rows) =>
        new(Regions.index_select(0, rows), Keys.index_select(0, rows), Hidden.index_select(0, rows), Cell.index_select(0, rows));
}
