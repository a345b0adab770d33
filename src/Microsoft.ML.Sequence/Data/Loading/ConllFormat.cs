namespace Microsoft.ML.Sequence.Data.Loading;

/// <summary>Dialect of a CoNLL file.</summary>
public enum ConllFormat
{
    /// <summary>CoNLL-U (Universal Dependencies): ten tab-separated fields, <c>#</c> comment lines, multiword-token
    /// ranges (<c>1-2</c>) and empty nodes (<c>8.1</c>) skipped.</summary>
    ConllU,

    /// <summary>CoNLL-2000/2003 style: whitespace-separated fields, token first, tags after; <c>-DOCSTART-</c> lines
    /// skipped.</summary>
    Whitespace,
}
