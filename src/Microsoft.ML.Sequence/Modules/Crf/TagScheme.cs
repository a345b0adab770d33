namespace Microsoft.ML.Sequence.Modules.Crf;

/// <summary>How span tags are written, which decides the transitions a CRF forbids.</summary>
public enum TagScheme
{
    /// <summary>No constraints (e.g. part-of-speech tags, or IO tags where any sequence is valid).</summary>
    None = 0,

    /// <summary>B-X begins a span, I-X continues one, O is outside: I-X may only follow B-X or I-X, and a sequence
    /// may not start with I-X.</summary>
    Bio = 1,

    /// <summary>B-X begins, I-X continues, E-X ends a multi-token span, S-X is a single-token span, O is outside:
    /// B-X and I-X must be followed by I-X or E-X; E-X, S-X and O by B-, S- or O; a sequence starts with B, S or O
    /// and ends with E, S or O.</summary>
    Bioes = 2,
}
