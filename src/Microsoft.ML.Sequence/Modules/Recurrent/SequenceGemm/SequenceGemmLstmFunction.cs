using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// One LSTM layer and direction over packed data as a custom autograd function. Forward: the input projection of
/// every step as one product, then per step the recurrent product and the gate element-wise work. Backward: per step
/// only the recurrence (the gate gradients land in one [N, 4H] buffer), then dW_ih, dW_hh, the biases and dx as one
/// product or sum each over all steps.
/// </summary>
/// <remarks>
/// Arguments to <c>apply</c>: x [N, F] packed, W_ih [4H, F], W_hh [4H, H], b_ih [4H] or null, b_hh [4H] or null,
/// h0 [B, H] or null, c0 [B, H] or null (both in sorted row order), the <see cref="SequenceGemmLayout"/>, reverse, and
/// whether a graph is recorded (false: nothing is kept for backward), and whether x needs a gradient (else dx, one
/// [N, 4H] × [4H, F] product, is skipped: the first layer's input usually needs none).
/// Returns one tensor [N, 2H]: y and c of every packed row side by side (the caller reads h_n and c_n from it). One
/// output, not three: TorchSharp wraps every undefined output gradient (h_n or c_n unused, the usual case) in a managed
/// tensor with a null handle that it counts as created but never as disposed, so each such output leaked one live
/// tensor per call; the single output always gets a defined gradient when backward runs.
/// Inside, the gate blocks are reordered from PyTorch's i, f, g, o to o, i, f, g, so that the three sigmoid gates are
/// one contiguous block in the forward pass and the three gates scaled by dc are one block in the backward pass.
/// </remarks>
internal sealed class SequenceGemmLstmFunction : torch.autograd.MultiTensorFunction<SequenceGemmLstmFunction>
{
    public override string Name => nameof(SequenceGemmLstmFunction);

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var wIh = (Tensor)vars[1];
        var wHh = (Tensor)vars[2];
        var bIh = vars[3] as Tensor;
        var bHh = vars[4] as Tensor;
        var h0 = vars[5] as Tensor;
        var c0 = vars[6] as Tensor;
        var layout = (SequenceGemmLayout)vars[7];
        bool reverse = (bool)vars[8];
        bool record = (bool)vars[9];
        bool inputGradient = (bool)vars[10];
        using var scope = torch.NewDisposeScope();
        // TorchSharp materialises an undefined output gradient from a tensor it allocated inside the caller's dispose
        // scope, which may be gone by the time backward runs: the backward pass takes an undefined gradient itself.
        ctx.set_materialize_grads(false);
        long hidden = wHh.shape[1], batch = layout.Batch;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor order = Reorder(hidden, x.device);
        Tensor wIhP = wIh.index_select(0, order), wHhP = wHh.index_select(0, order);
        Tensor wHhPT = wHhP.t();
        Tensor? bias = bIh is null ? bHh : bHh is null ? bIh : bIh + bHh;
        Tensor gates = bias is null ? x.mm(wIhP.t()) : torch.addmm(bias.index_select(0, order), x, wIhP.t(), 1, 1);
        Tensor[] g = gates.split(sizes);
        Tensor[] sig = gates.narrow(1, 0, 3 * hidden).split(sizes);
        Tensor[] cand = gates.narrow(1, 3 * hidden, hidden).split(sizes);
        Tensor[] o = gates.narrow(1, 0, hidden).split(sizes);
        Tensor[] i = gates.narrow(1, hidden, hidden).split(sizes);
        Tensor[] f = gates.narrow(1, 2 * hidden, hidden).split(sizes);
        Tensor hInit = h0 ?? torch.zeros(batch, hidden, dtype: x.dtype, device: x.device);
        Tensor cInit = c0 ?? torch.zeros(batch, hidden, dtype: x.dtype, device: x.device);
        var ys = new Tensor?[steps];
        var cs = new Tensor?[steps];
        for (int k = 0; k < steps; k++)
        {
            int t = reverse ? steps - 1 - k : k;
            Tensor hPrev = SequenceGemmSteps.Previous(layout, t, reverse, ys, hInit);
            Tensor cPrev = SequenceGemmSteps.Previous(layout, t, reverse, cs, cInit);
            g[t].addmm_(hPrev, wHhPT, 1, 1);
            sig[t].sigmoid_();
            cand[t].tanh_();
            Tensor c = f[t] * cPrev;
            c.addcmul_(i[t], cand[t], 1);
            Tensor y = c.tanh();
            y.mul_(o[t]);
            ys[t] = y;
            cs[t] = c;
        }

        Tensor outY = torch.cat(ys!, 0);
        Tensor cells = torch.cat(cs!, 0);
        if (record)
        {
            Tensor hPrevAll = SequenceGemmSteps.PreviousAll(layout, reverse, hInit, outY);
            Tensor cPrevAll = SequenceGemmSteps.PreviousAll(layout, reverse, cInit, cells);
            ctx.save_for_backward([x, wIhP.MoveToOuterDisposeScope(), wHhP.MoveToOuterDisposeScope(), gates.MoveToOuterDisposeScope(),
                cells.MoveToOuterDisposeScope(), cPrevAll.MoveToOuterDisposeScope(), hPrevAll.MoveToOuterDisposeScope()]);
            ctx.save_data("layout", layout);
            ctx.save_data("reverse", reverse);
            ctx.save_data("inputs", new[] { bIh is not null, bHh is not null, h0 is not null, c0 is not null, inputGradient });
        }

        return [torch.cat([outY, cells], 1).MoveToOuterDisposeScope()];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grads)
    {
        using var scope = torch.NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor x = saved[0], wIhP = saved[1], wHhP = saved[2], gates = saved[3], cells = saved[4], cPrev = saved[5], hPrev = saved[6];
        var layout = (SequenceGemmLayout)ctx.get_data("layout");
        bool reverse = (bool)ctx.get_data("reverse");
        var given = (bool[])ctx.get_data("inputs");
        long hidden = wHhP.shape[1], total = layout.Total;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor o = gates.narrow(1, 0, hidden), i = gates.narrow(1, hidden, hidden), f = gates.narrow(1, 2 * hidden, hidden),
            g = gates.narrow(1, 3 * hidden, hidden);
        Tensor tanhC = cells.tanh();
        // dc_t gains dh_t ⊙ o ⊙ (1 − tanh² c_t).
        Tensor cellFactor = tanhC.square().neg_().add_(1).mul_(o);
        // The gate gradients are these factors times dh (o) or dc (i, f, g); the loop multiplies them in place.
        Tensor dGates = gates.square().neg_().add_(gates);
        dGates.narrow(1, 0, hidden).mul_(tanhC);
        dGates.narrow(1, hidden, hidden).mul_(g);
        dGates.narrow(1, 2 * hidden, hidden).mul_(cPrev);
        dGates.narrow(1, 3 * hidden, hidden).copy_(g.square().neg_().add_(1)).mul_(i);
        Tensor[] dGateRows = dGates.split(sizes);
        Tensor[] dIfg = dGates.view(total, 4, hidden).narrow(1, 1, 3).split(sizes);
        Tensor[] dO = dGates.narrow(1, 0, hidden).split(sizes);
        // The output's gradient [N, 2H]: dy and dc of every row (h_n and c_n are rows of it, so theirs is in it too).
        Tensor? dOut = SequenceGemmSteps.Defined(grads[0]);
        Tensor[]? dY = dOut?.narrow(1, 0, hidden).split(sizes);
        Tensor[]? dCell = dOut?.narrow(1, hidden, hidden).split(sizes);
        Tensor[] factor = cellFactor.split(sizes);
        Tensor[] forget = f.split(sizes);
        Tensor dh = SequenceGemmSteps.StateBuffer(layout.Batch, hidden, x);
        Tensor dc = SequenceGemmSteps.StateBuffer(layout.Batch, hidden, x);
        var dhRows = new SequenceGemmSteps.Prefixes(dh);
        var dcRows = new SequenceGemmSteps.Prefixes(dc);
        for (int k = steps - 1; k >= 0; k--)
        {
            int t = reverse ? steps - 1 - k : k;
            long b = sizes[t];
            Tensor dhb = dhRows.Of(b).Rows;
            (Tensor dcb, Tensor dcb3) = dcRows.Of(b);
            if (dY is not null)
            {
                dhb.add_(dY[t]);
                dcb.add_(dCell![t]);
            }

            dcb.addcmul_(dhb, factor[t], 1);
            dIfg[t].mul_(dcb3);
            dO[t].mul_(dhb);
            dcb.mul_(forget[t]);
            dhb.addmm_(dGateRows[t], wHhP, 0, 1);
        }

        Tensor back = Reorder(hidden, x.device).argsort();
        Tensor? dx = given[4] ? dGates.mm(wIhP) : null;
        Tensor dWih = dGates.t().mm(x).index_select(0, back);
        Tensor dWhh = dGates.t().mm(hPrev).index_select(0, back);
        Tensor? dBias = given[0] || given[1] ? dGates.sum(dim: 0).index_select(0, back) : null;
        return
        [
            dx?.MoveToOuterDisposeScope()!, dWih.MoveToOuterDisposeScope(), dWhh.MoveToOuterDisposeScope(),
            given[0] ? dBias!.clone().MoveToOuterDisposeScope() : null!, given[1] ? dBias!.MoveToOuterDisposeScope() : null!,
            given[2] ? dh.MoveToOuterDisposeScope() : null!, given[3] ? dc.MoveToOuterDisposeScope() : null!, null!, null!, null!, null!,
        ];
    }

    /// <summary>Rows of the o, i, f, g order taken from PyTorch's i, f, g, o.</summary>
    internal static Tensor Reorder(long hidden, Device device) =>
        torch.cat([torch.arange(3 * hidden, 4 * hidden, device: device), torch.arange(0, 3 * hidden, device: device)], 0);
}
