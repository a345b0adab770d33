namespace Microsoft.ML.Sequence.Estimators.Training;

/// <summary>The optimiser an estimator trains with.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba), β = (0.9, 0.999), ε = 1e-8.</summary>
    Adam = 0,

    /// <summary>AdamW: Adam with decoupled weight decay (0.01).</summary>
    AdamW = 1,

    /// <summary>Stochastic gradient descent with momentum 0.9.</summary>
    Sgd = 2,
}
