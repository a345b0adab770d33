using Microsoft.ML.Sequence.Modules;

namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>Builds the optimiser an estimator's options name, one place for every estimator.</summary>
internal static class OptimizerFactory
{
    /// <summary>SGD uses momentum 0.9. A null <paramref name="weightDecay"/> keeps each optimiser's own default.</summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<ModuleParameter> parameters, double learningRate,
        double? weightDecay = null) => kind switch
    {
        OptimizerKind.Adam => new AdamOptimizer(parameters, learningRate, weightDecay: weightDecay ?? 0),
        OptimizerKind.AdamW => weightDecay is double decay
            ? new AdamWOptimizer(parameters, learningRate, weightDecay: decay)
            : new AdamWOptimizer(parameters, learningRate),
        OptimizerKind.Sgd => new SgdOptimizer(parameters, learningRate, momentum: 0.9, weightDecay: weightDecay ?? 0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
    };
}
