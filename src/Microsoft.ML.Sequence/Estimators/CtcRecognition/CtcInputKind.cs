namespace Microsoft.ML.Sequence.Estimators.CtcRecognition;

/// <summary>What a recognizer reads: text-line images or sequences of feature vectors.</summary>
internal enum CtcInputKind
{
    /// <summary>An ML.NET image column (<c>MLImage</c>), normalised to a fixed height.</summary>
    Image = 0,

    /// <summary>A Vector&lt;Single&gt; column with dimensions [T, F], frame-major.</summary>
    Features = 1,
}
