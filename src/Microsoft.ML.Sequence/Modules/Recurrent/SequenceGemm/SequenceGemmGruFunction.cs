using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// One GRU layer and direction over packed data as a custom autograd function, PyTorch's formula
/// (r, z, n = σ(W_ir x + b_ir + W_hr h + b_hr), σ(… z …), tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)); h' = (1 − z) ⊙ n + z ⊙ h).
/// Forward: the input projection of every step as one product, per step the recurrent product and the gates.
/// Backward: per step only the recurrence, then every weight and bias gradient and dx as one product or sum each.
/// </summary>
/// <remarks>Arguments and results as <see cref="SequenceGemmLstmFunction"/> without c0 / c_n: x, W_ih [3H, F], W_hh [3H, H],
/// b_ih, b_hh, h0, layout, reverse, record, whether x needs a gradient → y [N, H] alone (the caller reads h_n from it; one output for the reason
/// given there).</remarks>
internal sealed class SequenceGemmGruFunction : torch.autograd.MultiTensorFunction<SequenceGemmGruFunction>
{
    public override string Name => nameof(SequenceGemmGruFunction);

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var wIh = (Tensor)vars[1];
        var wHh = (Tensor)vars[2];
        var bIh = vars[3] as Tensor;
        var bHh = vars[4] as Tensor;
        var h0 = vars[5] as Tensor;
        var layout = (SequenceGemmLayout)vars[6];
        bool reverse = (bool)vars[7];
        bool record = (bool)vars[8];
        bool inputGradient = (bool)vars[9];
        using var scope = torch.NewDisposeScope();
        // TorchSharp materialises an undefined output gradient from a tensor it allocated inside the caller's dispose
        // scope, which may be gone by the time backward runs: the backward pass takes undefined gradients itself.
        ctx.set_materialize_grads(false);
        long hidden = wHh.shape[1], batch = layout.Batch, total = layout.Total;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor wHhT = wHh.t();
        // Input side: r, z, n pre-activations of every step; recurrent side: W_hh h + b_hh, filled step by step.
        Tensor gi = bIh is null ? x.mm(wIh.t()) : torch.addmm(bIh, x, wIh.t(), 1, 1);
        Tensor gh = bHh is null
            ? torch.zeros(total, 3 * hidden, dtype: x.dtype, device: x.device)
            : bHh.unsqueeze(0).expand(total, 3 * hidden).contiguous();
        Tensor[] ghRows = gh.split(sizes);
        Tensor[] ghRz = gh.narrow(1, 0, 2 * hidden).split(sizes);
        Tensor[] ghN = gh.narrow(1, 2 * hidden, hidden).split(sizes);
        Tensor[] rz = gi.narrow(1, 0, 2 * hidden).split(sizes);
        Tensor[] r = gi.narrow(1, 0, hidden).split(sizes);
        Tensor[] z = gi.narrow(1, hidden, hidden).split(sizes);
        Tensor[] n = gi.narrow(1, 2 * hidden, hidden).split(sizes);
        Tensor hInit = h0 ?? torch.zeros(batch, hidden, dtype: x.dtype, device: x.device);
        var ys = new Tensor?[steps];
        for (int k = 0; k < steps; k++)
        {
            int t = reverse ? steps - 1 - k : k;
            Tensor hPrev = SequenceGemmSteps.Previous(layout, t, reverse, ys, hInit);
            ghRows[t].addmm_(hPrev, wHhT, 1, 1);
            rz[t].add_(ghRz[t]).sigmoid_();
            n[t].addcmul_(r[t], ghN[t], 1).tanh_();
            ys[t] = torch.lerp(n[t], hPrev, z[t]);
        }

        Tensor outY = torch.cat(ys!, 0);
        if (record)
        {
            Tensor hPrevAll = SequenceGemmSteps.PreviousAll(layout, reverse, hInit, outY);
            ctx.save_for_backward([x, wIh, wHh, gi.MoveToOuterDisposeScope(), gh.MoveToOuterDisposeScope(), hPrevAll.MoveToOuterDisposeScope()]);
            ctx.save_data("layout", layout);
            ctx.save_data("reverse", reverse);
            ctx.save_data("inputs", new[] { bIh is not null, bHh is not null, h0 is not null, inputGradient });
        }

        return [outY.MoveToOuterDisposeScope()];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grads)
    {
        using var scope = torch.NewDisposeScope();
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor x = saved[0], wIh = saved[1], wHh = saved[2], gi = saved[3], gh = saved[4], hPrev = saved[5];
        var layout = (SequenceGemmLayout)ctx.get_data("layout");
        bool reverse = (bool)ctx.get_data("reverse");
        var given = (bool[])ctx.get_data("inputs");
        long hidden = wHh.shape[1], total = layout.Total;
        int steps = layout.Steps;
        long[] sizes = layout.BatchSizes;
        Tensor r = gi.narrow(1, 0, hidden), z = gi.narrow(1, hidden, hidden), n = gi.narrow(1, 2 * hidden, hidden);
        Tensor ghN = gh.narrow(1, 2 * hidden, hidden);
        // Per unit of dh': n's pre-activation (1 − z)(1 − n²), z's (h − n) z (1 − z), r's that times W_hn h + b_hn, r (1 − r).
        Tensor kn = n.square().neg_().add_(1).mul_(z.neg().add_(1));
        Tensor kz = (hPrev - n).mul_(z).mul_(z.neg().add_(1));
        Tensor kr = (kn * ghN).mul_(r).mul_(r.neg().add_(1));
        Tensor dGi = torch.cat([kr, kz, kn], 1);
        Tensor dGh = torch.cat([kr, kz, kn * r], 1);
        Tensor[] dGi3 = dGi.view(total, 3, hidden).split(sizes);
        Tensor[] dGh3 = dGh.view(total, 3, hidden).split(sizes);
        Tensor[] dGhRows = dGh.split(sizes);
        Tensor[] zRows = z.split(sizes);
        Tensor[]? dY = SequenceGemmSteps.Defined(grads[0])?.split(sizes);
        Tensor dh = SequenceGemmSteps.StateBuffer(layout.Batch, hidden, x);
        var dhRows = new SequenceGemmSteps.Prefixes(dh);
        for (int k = steps - 1; k >= 0; k--)
        {
            int t = reverse ? steps - 1 - k : k;
            (Tensor dhb, Tensor dhb3) = dhRows.Of(sizes[t]);
            if (dY is not null)
            {
                dhb.add_(dY[t]);
            }

            dGi3[t].mul_(dhb3);
            dGh3[t].mul_(dhb3);
            dhb.mul_(zRows[t]);
            dhb.addmm_(dGhRows[t], wHh, 1, 1);
        }

        Tensor? dx = given[3] ? dGi.mm(wIh) : null;
        Tensor dWih = dGi.t().mm(x);
        Tensor dWhh = dGh.t().mm(hPrev);
        return
        [
            dx?.MoveToOuterDisposeScope()!, dWih.MoveToOuterDisposeScope(), dWhh.MoveToOuterDisposeScope(),
            given[0] ? dGi.sum(dim: 0).MoveToOuterDisposeScope() : null!, given[1] ? dGh.sum(dim: 0).MoveToOuterDisposeScope() : null!,
            given[2] ? dh.MoveToOuterDisposeScope() : null!, null!, null!, null!, null!,
        ];
    }
}
