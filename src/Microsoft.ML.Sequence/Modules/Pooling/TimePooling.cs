namespace Microsoft.ML.Sequence.Modules.Pooling;

/// <summary>How a sequence of states [B, T, F] becomes one vector [B, F] per row. Every kind ignores padding.</summary>
public enum TimePooling
{
    /// <summary>The state at each row's last valid step; for bidirectional states the forward half at t = length − 1
    /// and the backward half at t = 0 (where each direction has seen the whole sequence).</summary>
    Last = 0,

    /// <summary>Elementwise maximum over the valid steps.</summary>
    Max = 1,

    /// <summary>Mean over the valid steps (sum divided by the true length).</summary>
    Mean = 2,

    /// <summary>Weighted sum with weights from a learned query (<see cref="AttentionPooling"/>).</summary>
    Attention = 3,
}
