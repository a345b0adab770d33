namespace Microsoft.ML.Sequence.Estimators.TextClassification;

/// <summary>How a text classifier splits its text column into word tokens.</summary>
public enum TextTokenization
{
    /// <summary>Split at white space only; for text that is already tokenised.</summary>
    Whitespace = 0,

    /// <summary>Words (letters and digits, with inner hyphens and apostrophes) and single punctuation marks become
    /// tokens, "..." stays one token, and English clitics split the way the Penn Treebank (and SST) does:
    /// <c>don't</c> → <c>do n't</c>, <c>it's</c> → <c>it 's</c>. Already tokenised text comes out unchanged.</summary>
    Words = 1,
}
