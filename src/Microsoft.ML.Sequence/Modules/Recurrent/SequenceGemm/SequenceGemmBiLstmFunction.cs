using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// The two directions of one bidirectional LSTM layer in one step loop, as a custom autograd function.
/// Each recurrence runs forward in time over its own packed input; the reverse direction is given its rows reversed
/// within their lengths (see <see cref="SequenceGemmLayout.ReversedPositions"/>), so both have the same active rows at
/// every step and stack into one [D, b, ·] tensor: per step one batched recurrent product and one set of gate
/// operations for all directions, half the per-step calls of running them one after the other (each TorchSharp call
/// costs a few µs, and on 2 threads each small product pays a fork/join). Backward: per step only the recurrence,
/// then dW_ih, dW_hh, the bias and dx as one batched product or sum each over all steps.
/// </summary>
/// <remarks>
/// Arguments to <c>apply</c>: x [D = 2, N, F] (direction d's packed input), W_ih [4H, F] and W_hh [4H, H] of the forward
/// then of the reverse direction, the bias b_ih + b_hh [4H] of each or null, h0 [D, B, H] or null, c0 [D, B, H] or null
/// (sorted row order), the <see cref="SequenceGemmLayout"/>, whether a graph is recorded, and whether x needs a
/// gradient (the first layer's input usually does not: then dx, an [N, 4H] × [4H, F] product per direction, is
/// skipped). Inside, the weights are stacked [D, 4H, ·] with their gate blocks in the order o, i, f, g, as in
/// <see cref="SequenceGemmLstmFunction"/>. Returns one tensor [D, N, 2H], y and c side by side, for the reason given
/// there.
/// </remarks>
internal sealed class SequenceGemmBiLstmFunction : torch.autograd.MultiTensorFunction<SequenceGemmBiLstmFunction>
{
    public override string Name => nameof(SequenceGemmBiLstmFunction);

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var bias0 = vars[5] as Tensor;
        var bias1 = vars[6] as Tensor;
        var h0 = vars[7] as Tensor;
        var c0 = vars[8] as Tensor;
        var layout = (SequenceGemmLayout)vars[9];
        bool record = (bool)vars[10];
        bool inputGradient = (bool)vars[11];
        using var scope = torch.NewDisposeScope();
        Tensor order = SequenceGemmLstmFunction.Reorder(((Tensor)vars[2]).shape[1], x.device);
        Tensor wIh = torch.stack([(Tensor)vars[1], (Tensor)vars[3]]).index_select(1, order);
        Tensor wHh = torch.stack([(Tensor)vars[2], (Tensor)vars[4]]).index_select(1, order);
        Tensor? bias = bias0 is null ? null : torch.stack([bias0, bias1!]).index_select(1, order);
        // As in SequenceGemmLstmFunction: an undefined output gradient is taken as such, not materialised.
        ctx.set_materialize_grads(false);
        long directions = x.shape[0], hidden = wHh.shape[2], batch = layout.Batch;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor wHhT = wHh.transpose(1, 2);
        Tensor gates = bias is null ? x.bmm(wIh.transpose(1, 2)) : x.baddbmm(wIh.transpose(1, 2), bias.unsqueeze(1));
        Tensor[] g = gates.split(sizes, 1);
        Tensor[] sig = gates.narrow(2, 0, 3 * hidden).split(sizes, 1);
        Tensor[] cand = gates.narrow(2, 3 * hidden, hidden).split(sizes, 1);
        Tensor[] o = gates.narrow(2, 0, hidden).split(sizes, 1);
        Tensor[] i = gates.narrow(2, hidden, hidden).split(sizes, 1);
        Tensor[] f = gates.narrow(2, 2 * hidden, hidden).split(sizes, 1);
        Tensor hInit = h0 ?? torch.zeros(directions, batch, hidden, dtype: x.dtype, device: x.device);
        Tensor cInit = c0 ?? torch.zeros(directions, batch, hidden, dtype: x.dtype, device: x.device);
        var ys = new Tensor[steps];
        var cs = new Tensor[steps];
        var tanhCs = new Tensor[steps];
        for (int t = 0; t < steps; t++)
        {
            // Every recurrence runs forward in time: step t reads step t − 1's first b rows (rows only end, never start,
            // after step 0), or the initial state at step 0, where every row is active.
            long b = sizes[t];
            Tensor hPrev = t == 0 ? hInit : Prefix(ys[t - 1], b);
            Tensor cPrev = t == 0 ? cInit : Prefix(cs[t - 1], b);
            if (t > 0 || h0 is not null)
            {
                // A zero initial state adds nothing to step 0's gates.
                g[t].add_(hPrev.bmm(wHhT));
            }

            sig[t].sigmoid_();
            cand[t].tanh_();
            Tensor c = f[t] * cPrev;
            c.addcmul_(i[t], cand[t], 1);
            // tanh c_t is kept: backward needs it, and recomputing it there costs one more pass over [D, N, H].
            Tensor tanhC = c.tanh();
            ys[t] = tanhC * o[t];
            tanhCs[t] = tanhC;
            cs[t] = c;
        }

        Tensor outY = torch.cat(ys, 1);
        Tensor cells = torch.cat(cs, 1);
        if (record)
        {
            Tensor previous = torch.tensor(layout.PreviousStateIndex(reverse: false), device: x.device);
            Tensor hPrevAll = torch.cat([hInit, outY], 1).index_select(1, previous);
            Tensor cPrevAll = torch.cat([cInit, cells], 1).index_select(1, previous);
            ctx.save_for_backward([x, wIh.MoveToOuterDisposeScope(), wHh.MoveToOuterDisposeScope(), gates.MoveToOuterDisposeScope(),
                torch.cat(tanhCs, 1).MoveToOuterDisposeScope(),
                cPrevAll.MoveToOuterDisposeScope(), hPrevAll.MoveToOuterDisposeScope()]);
            ctx.save_data("layout", layout);
            ctx.save_data("inputs", new[] { inputGradient, bias is not null, h0 is not null, c0 is not null });
        }

        return [torch.cat([outY, cells], 2).MoveToOuterDisposeScope()];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grads)
    {
        using var scope = torch.NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor x = saved[0], wIh = saved[1], wHh = saved[2], gates = saved[3], tanhC = saved[4], cPrev = saved[5], hPrev = saved[6];
        var layout = (SequenceGemmLayout)ctx.get_data("layout");
        var given = (bool[])ctx.get_data("inputs");
        long directions = x.shape[0], hidden = wHh.shape[2], total = layout.Total;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor o = gates.narrow(2, 0, hidden), i = gates.narrow(2, hidden, hidden), f = gates.narrow(2, 2 * hidden, hidden),
            g = gates.narrow(2, 3 * hidden, hidden);
        // dc_t gains dh_t ⊙ o ⊙ (1 − tanh² c_t); the gate gradients are these factors times dh (o) or dc (i, f, g).
        Tensor cellFactor = tanhC.square().neg_().add_(1).mul_(o);
        Tensor dGates = torch.empty_like(gates);
        Tensor sigmoids = gates.narrow(2, 0, 3 * hidden);
        dGates.narrow(2, 0, 3 * hidden).copy_(sigmoids).sub_(sigmoids.square());
        dGates.narrow(2, 0, hidden).mul_(tanhC);
        dGates.narrow(2, hidden, hidden).mul_(g);
        dGates.narrow(2, 2 * hidden, hidden).mul_(cPrev);
        dGates.narrow(2, 3 * hidden, hidden).copy_(g.square().neg_().add_(1)).mul_(i);
        Tensor[] dGateRows = dGates.split(sizes, 1);
        Tensor[] dIfg = dGates.view(directions, total, 4, hidden).narrow(2, 1, 3).split(sizes, 1);
        Tensor[] dO = dGates.narrow(2, 0, hidden).split(sizes, 1);
        Tensor[] factor = cellFactor.split(sizes, 1);
        Tensor[] forget = f.split(sizes, 1);
        // dh and dc of every packed row start as the output's gradient (h_n and c_n are rows of the output, so theirs is
        // in it) and gain what flows back from the next step; rows of step t − 1 past step t's rows have nothing to gain.
        Tensor? dOut = SequenceGemmSteps.Defined(grads[0]);
        Tensor dH = dOut?.narrow(2, 0, hidden).clone() ?? torch.zeros(directions, total, hidden, dtype: x.dtype, device: x.device);
        Tensor dC = dOut?.narrow(2, hidden, hidden).clone() ?? torch.zeros(directions, total, hidden, dtype: x.dtype, device: x.device);
        Tensor[] dHRows = dH.split(sizes, 1);
        Tensor[] dCRows = dC.split(sizes, 1);
        Tensor[] dCUnsqueezed = dC.unsqueeze(2).split(sizes, 1);
        Tensor? dh0 = null, dc0 = null;
        for (int t = steps - 1; t >= 0; t--)
        {
            long b = sizes[t];
            Tensor dh = dHRows[t], dc = dCRows[t];
            dc.addcmul_(dh, factor[t], 1);
            dIfg[t].mul_(dCUnsqueezed[t]);
            dO[t].mul_(dh);
            if (t > 0)
            {
                Prefix(dHRows[t - 1], b).add_(dGateRows[t].bmm(wHh));
                Prefix(dCRows[t - 1], b).addcmul_(dc, forget[t], 1);
            }
            else
            {
                dh0 = given[2] ? dGateRows[0].bmm(wHh) : null;
                dc0 = given[3] ? dc * forget[0] : null;
            }
        }

        Tensor dGatesT = dGates.transpose(1, 2);
        // Back from o, i, f, g to PyTorch's order, one direction each.
        Tensor back = SequenceGemmLstmFunction.Reorder(hidden, x.device).argsort();
        // Without an initial state, step 0's rows (the first B) have h_prev = 0 and add nothing to dW_hh.
        long from = given[2] ? 0 : layout.Batch;
        Tensor dWhh = (from == total ? torch.zeros(directions, 4 * hidden, hidden, dtype: x.dtype, device: x.device)
            : dGatesT.narrow(2, from, total - from).bmm(hPrev.narrow(1, from, total - from))).index_select(1, back);
        Tensor dWih = dGatesT.bmm(x).index_select(1, back);
        Tensor? dBias = given[1] ? dGates.sum(dim: 1).index_select(1, back) : null;
        return
        [
            given[0] ? dGates.bmm(wIh).MoveToOuterDisposeScope() : null!,
            dWih[0].MoveToOuterDisposeScope(), dWhh[0].MoveToOuterDisposeScope(),
            dWih[1].MoveToOuterDisposeScope(), dWhh[1].MoveToOuterDisposeScope(),
            dBias?[0].MoveToOuterDisposeScope()!, dBias?[1].MoveToOuterDisposeScope()!,
            dh0?.MoveToOuterDisposeScope()!, dc0?.MoveToOuterDisposeScope()!, null!, null!, null!,
        ];
    }

    /// <summary>The first <paramref name="rows"/> rows (dimension 1) of a [D, b, H] step tensor.</summary>
    private static Tensor Prefix(Tensor step, long rows) => step.shape[1] == rows ? step : step.narrow(1, 0, rows);
}
