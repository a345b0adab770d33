using Microsoft.ML.Sequence.Torch;

namespace Microsoft.ML.Sequence.Modules;

/// <summary>Limits gradients in place before an optimiser step, against exploding gradients in recurrent models.</summary>
public static class GradientClipping
{
    /// <summary>Scales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>
    /// (PyTorch's <c>clip_grad_norm_</c>): with total = √(Σ‖g‖²), every gradient is multiplied by
    /// maxNorm / (total + 1e-6) when that factor is below 1. Parameters without a gradient are ignored.</summary>
    /// <param name="parameters">Parameters whose gradients to clip.</param>
    /// <param name="maxNorm">Largest allowed global norm, a finite number &gt; 0.</param>
    /// <returns>The global norm before clipping (0 when no parameter has a gradient). When it is not finite the
    /// gradients are left unchanged; skip that step.</returns>
    public static double ClipByGlobalNorm(IEnumerable<ModuleParameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Arguments.Positive(maxNorm, nameof(maxNorm));
        using NoGradScope noGrad = NoGradScope.Begin();
        using TensorScope scope = TensorScope.Begin();
        List<Tensor> gradients = Gradients(parameters);
        if (gradients.Count == 0)
        {
            return 0;
        }

        Device device = gradients[0].Device;
        var norms = gradients.Select(g => g.Norm().To(DType.Float64).To(device)).ToList();
        double total = Tensor.Stack(norms).Norm().ToScalar();
        double scale = maxNorm / (total + 1e-6);
        if (scale < 1)
        {
            foreach (Tensor gradient in gradients)
            {
                gradient.MulInPlace(scale);
            }
        }

        return total;
    }

    /// <summary>Clamps every gradient element to [−<paramref name="limit"/>, <paramref name="limit"/>] (PyTorch's
    /// <c>clip_grad_value_</c>). Parameters without a gradient are ignored.</summary>
    /// <param name="parameters">Parameters whose gradients to clip.</param>
    /// <param name="limit">Largest allowed magnitude, a finite number &gt; 0.</param>
    public static void ClipByValue(IEnumerable<ModuleParameter> parameters, double limit)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Arguments.Positive(limit, nameof(limit));
        using NoGradScope noGrad = NoGradScope.Begin();
        using TensorScope scope = TensorScope.Begin();
        foreach (Tensor gradient in Gradients(parameters))
        {
            gradient.ClampInPlace(-limit, limit);
        }
    }

    private static List<Tensor> Gradients(IEnumerable<ModuleParameter> parameters)
    {
        var gradients = new List<Tensor>();
        foreach (ModuleParameter parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));
            if (parameter.Grad is { } gradient)
            {
                gradients.Add(gradient);
            }
        }

        return gradients;
    }
}
