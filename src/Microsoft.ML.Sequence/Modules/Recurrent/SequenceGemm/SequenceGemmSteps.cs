using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>Step bookkeeping shared by the LSTM and GRU functions: the previous state a step reads, cached row
/// prefixes of a state buffer, and the gather that forms every step's previous state as one [N, H] tensor.</summary>
internal static class SequenceGemmSteps
{
    /// <summary>The state step <paramref name="t"/> reads: the first rows of the previous step's output, with the
    /// initial state appended for rows that start at this step (only when reversed; forward, every row starts at
    /// step 0).</summary>
    public static Tensor Previous(SequenceGemmLayout layout, int t, bool reverse, Tensor?[] outputs, Tensor initial)
    {
        long b = layout.BatchSizes[t];
        int p = layout.PreviousStep(t, reverse);
        if (p < 0)
        {
            return b == initial.shape[0] ? initial : initial.narrow(0, 0, b);
        }

        Tensor previous = outputs[p]!;
        long bp = layout.BatchSizes[p];
        if (bp == b)
        {
            return previous;
        }

        return bp > b ? previous.narrow(0, 0, b) : torch.cat([previous, initial.narrow(0, bp, b - bp)], 0);
    }

    /// <summary>Every step's previous state as one [N, H] tensor (for the one-product weight gradient).</summary>
    public static Tensor PreviousAll(SequenceGemmLayout layout, bool reverse, Tensor initial, Tensor packed)
    {
        Tensor index = torch.tensor(layout.PreviousStateIndex(reverse), device: packed.device);
        return torch.cat([initial, packed], 0).index_select(0, index);
    }

    /// <summary>Final state of every sorted row, [B, H].</summary>
    public static Tensor Final(SequenceGemmLayout layout, bool reverse, Tensor packed) =>
        packed.index_select(0, torch.tensor(layout.FinalStateIndex(reverse), device: packed.device));

    /// <summary>An output gradient as given (null where autograd passed an undefined one).</summary>
    public static Tensor? Defined(Tensor? gradient) => gradient is null || gradient.IsInvalid ? null : gradient;

    /// <summary>A zero [B, H] state-gradient buffer the backward loop accumulates into.</summary>
    public static Tensor StateBuffer(long batch, long hidden, Tensor like) =>
        torch.zeros(batch, hidden, dtype: like.dtype, device: like.device);

    /// <summary>Prefix views <c>buffer[0..b)</c> of a state buffer, made once per distinct batch size.</summary>
    public sealed class Prefixes(Tensor buffer)
    {
        private readonly Dictionary<long, (Tensor Rows, Tensor Unsqueezed)> _views = [];

        public (Tensor Rows, Tensor Unsqueezed) Of(long b)
        {
            if (!_views.TryGetValue(b, out var view))
            {
                Tensor rows = b == buffer.shape[0] ? buffer : buffer.narrow(0, 0, b);
                view = (rows, rows.unsqueeze(1));
                _views[b] = view;
            }

            return view;
        }
    }
}
