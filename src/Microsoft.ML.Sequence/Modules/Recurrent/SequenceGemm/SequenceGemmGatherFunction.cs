using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Sequence.Modules.Recurrent.SequenceGemm;

/// <summary>
/// A row gather along one dimension whose rows each come from at most one source row and go to at most one output
/// row (packing, unpacking, reversing rows within their lengths, un-sorting): out = cat(src, 0)[index], and its
/// gradient is the inverse gather dsrc = cat(dout, 0)[inverse], where index value src.shape[dim] (and inverse value
/// out.shape[dim]) names an appended zero row. <c>index_select</c> would do the forward pass, but its backward is
/// <c>index_add_</c>, which libtorch's CPU kernel runs one slice at a time when the gradient is not contiguous (an
/// expanded gradient of a sum, a narrowed one of a cat): 1.7 ms against 0.1 ms for 2,240 rows of 512 measured here,
/// 35 ms of the mixed-length benchmark's 20 batches from the output's unpacking alone.
/// </summary>
/// <remarks>Arguments to <c>apply</c>: src, index (out rows), inverse (src rows) or null, dim. Without an inverse
/// (source rows read more than once) the gradient is <c>index_add_</c> of the gradient made contiguous first, its fast
/// path. The indices stay host arrays until used: a tensor kept for backward would be gone with the dispose scope of
/// the caller's forward pass.</remarks>
internal sealed class SequenceGemmGatherFunction : torch.autograd.MultiTensorFunction<SequenceGemmGatherFunction>
{
    public override string Name => nameof(SequenceGemmGatherFunction);

    /// <summary>Gathers <paramref name="src"/>'s rows along <paramref name="dim"/>, with the inverse gather as gradient.</summary>
    public static Tensor Gather(Tensor src, long[] index, long[] inverse, long dim) => apply(src, index, inverse, dim)[0];

    /// <summary>Gathers rows (dimension 0) of <paramref name="src"/>, any row any number of times.</summary>
    public static Tensor GatherRows(Tensor src, long[] index) => apply(src, index, null!, 0L)[0];

    public override List<Tensor> forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var src = (Tensor)vars[0];
        var index = (long[])vars[1];
        var inverse = vars[2] as long[];
        long dim = (long)vars[3];
        using var scope = torch.NewDisposeScope();
        ctx.set_materialize_grads(false);
        ctx.save_data("gather", (inverse ?? index, inverse is null, dim, src.shape));
        return [Select(src, index, dim).MoveToOuterDisposeScope()];
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, List<Tensor> grads)
    {
        using var scope = torch.NewDisposeScope();
        (long[] inverse, bool repeated, long dim, long[] shape) = ((long[], bool, long, long[]))ctx.get_data("gather");
        Tensor? grad = SequenceGemmSteps.Defined(grads[0]);
        if (grad is null)
        {
            return [null!, null!, null!, null!];
        }

        Tensor result = repeated
            ? torch.zeros(shape, dtype: grad.dtype, device: grad.device).index_add_(dim, torch.tensor(inverse, device: grad.device), grad.contiguous(), 1)
            : Select(grad, inverse, dim);
        return [result.MoveToOuterDisposeScope(), null!, null!, null!];
    }

    /// <summary>cat(t, zero row)[index] along <paramref name="dim"/>; the zero row only where an index names it.</summary>
    private static Tensor Select(Tensor t, long[] index, long dim)
    {
        Tensor rows = torch.tensor(index, device: t.device);
        if (index.Length == 0 || index.Max() < t.shape[dim])
        {
            return t.index_select(dim, rows);
        }

        long[] shape = t.shape;
        shape[dim] = 1;
        return torch.cat([t, torch.zeros(shape, dtype: t.dtype, device: t.device)], dim).index_select(dim, rows);
    }
}
