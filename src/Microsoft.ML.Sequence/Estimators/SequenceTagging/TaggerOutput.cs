namespace Microsoft.ML.Sequence.Estimators.SequenceTagging;

/// <summary>The output layer of a sequence tagger.</summary>
public enum TaggerOutput
{
    /// <summary>An independent softmax over the tags at each token, trained with cross-entropy; the score of a token is
    /// its tag distribution and the prediction its most probable tag.</summary>
    Softmax = 0,

    /// <summary>A linear-chain CRF over the whole sentence, trained on the sentence log-likelihood; the prediction is the
    /// best tag sequence (Viterbi, respecting the tag scheme's transition constraints) and the score of a token is its
    /// marginal tag distribution (forward–backward).</summary>
    Crf = 1,
}
