namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>The optimiser a text classifier trains with.</summary>
public enum TextClassifierOptimizer
{
    /// <summary>Adam (Kingma and Ba), weight decay added to the gradient (L2).</summary>
    Adam = 0,

    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW = 1,

    /// <summary>Stochastic gradient descent with momentum 0.9.</summary>
    Sgd = 2,
}
