namespace Microsoft.ML.Sequence.Modules.Attention;

/// <summary>Scoring function of <see cref="LuongAttention"/>.</summary>
public enum LuongScore
{
    /// <summary>score(q, k) = qᵀ k; query and key sizes must be equal; no parameters.</summary>
    Dot = 0,

    /// <summary>score(q, k) = qᵀ W k with a learned W [Dq, Dk].</summary>
    General = 1,
}
