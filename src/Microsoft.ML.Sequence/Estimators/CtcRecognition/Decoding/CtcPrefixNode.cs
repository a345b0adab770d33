namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>A prefix in the trie of one prefix-beam search: its last label, its parent, its language-model score, and
/// the probabilities being summed for it in the current frame.</summary>
/// <remarks>Equal prefixes reached from different beam entries are the same node, so their probabilities merge.</remarks>
internal sealed class CtcPrefixNode
{
    private CtcPrefixNode[] _children = [];
    private int _childCount;

    /// <summary>The empty prefix.</summary>
    public CtcPrefixNode()
    {
    }

    /// <summary>A child of <paramref name="parent"/> ending in <paramref name="label"/>.</summary>
    public CtcPrefixNode(CtcPrefixNode parent, int label, double languageModelLogProbability)
    {
        Parent = parent;
        Label = label;
        Length = parent.Length + 1;
        LanguageModelLogProbability = languageModelLogProbability;
        parent.AddChild(this);
    }

    /// <summary>The prefix without its last label; null for the empty prefix.</summary>
    public CtcPrefixNode? Parent { get; }

    /// <summary>The last label (≥ 1), or 0 for the empty prefix.</summary>
    public int Label { get; }

    /// <summary>Number of labels.</summary>
    public int Length { get; }

    /// <summary>log P_lm of the prefix's characters (no end of line); 0 without a language model.</summary>
    public double LanguageModelLogProbability { get; }

    /// <summary>P_lm(symbol | this prefix) for every language-model symbol, computed on first use.</summary>
    public double[]? NextSymbolProbabilities { get; set; }

    /// <summary>log of the largest of <see cref="NextSymbolProbabilities"/>: no child's language-model score exceeds
    /// this prefix's by more.</summary>
    public double NextSymbolMaxLogProbability { get; set; }

    /// <summary>The frame (plus 1) whose sums <see cref="NextBlank"/> and <see cref="NextNonBlank"/> hold.</summary>
    public int Stamp { get; set; }

    /// <summary>log P of the alignments up to the current frame that give this prefix and end in a blank.</summary>
    public double NextBlank { get; set; }

    /// <summary>log P of the alignments up to the current frame that give this prefix and end in its last label.</summary>
    public double NextNonBlank { get; set; }

    /// <summary>The children created so far.</summary>
    public ReadOnlySpan<CtcPrefixNode> Children => _children.AsSpan(0, _childCount);

    /// <summary>The child ending in <paramref name="label"/>, or null when it was never created.</summary>
    public CtcPrefixNode? Child(int label)
    {
        for (int i = 0; i < _childCount; i++)
        {
            if (_children[i].Label == label)
            {
                return _children[i];
            }
        }

        return null;
    }

    /// <summary>The labels from the first to this one.</summary>
    public int[] Labels()
    {
        var labels = new int[Length];
        CtcPrefixNode node = this;
        for (int i = Length - 1; i >= 0; i--)
        {
            labels[i] = node.Label;
            node = node.Parent!;
        }

        return labels;
    }

    private void AddChild(CtcPrefixNode child)
    {
        if (_childCount == _children.Length)
        {
            Array.Resize(ref _children, Math.Max(2, _children.Length * 2));
        }

        _children[_childCount++] = child;
    }
}
