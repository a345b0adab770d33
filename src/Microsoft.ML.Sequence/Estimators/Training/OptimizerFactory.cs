using TorchSharp;
using TorchSharp.Modules;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Builds the optimiser an estimator's options name, one place for every estimator: TorchSharp's own
/// <c>torch.optim</c> optimisers with the settings <see cref="OptimizerKind"/> documents.</summary>
internal static class OptimizerFactory
{
    /// <summary>Default decoupled weight decay of <see cref="OptimizerKind.AdamW"/> (PyTorch's; TorchSharp's default is 0).</summary>
    public const double AdamWDefaultWeightDecay = 0.01;

    /// <summary>Adam and AdamW use β = (0.9, 0.999), ε = 1e-8; SGD uses momentum 0.9. A null <paramref name="weightDecay"/>
    /// keeps each optimiser's own default (0 for Adam and SGD, 0.01 decoupled for AdamW).</summary>
    public static torch.optim.Optimizer Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double learningRate,
        double? weightDecay = null)
    {
        List<Parameter> list = parameters.ToList();
        return kind switch
        {
            OptimizerKind.Adam => torch.optim.Adam(list, learningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay ?? 0),
            OptimizerKind.AdamW => torch.optim.AdamW(list, learningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8,
                weight_decay: weightDecay ?? AdamWDefaultWeightDecay),
            OptimizerKind.Sgd => torch.optim.SGD(list, learningRate, momentum: 0.9, weight_decay: weightDecay ?? 0),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
        };
    }

    /// <summary>The learning rate in force (of the first parameter group).</summary>
    public static double LearningRate(torch.optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;
}
