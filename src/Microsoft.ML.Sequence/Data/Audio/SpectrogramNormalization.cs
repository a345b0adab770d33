namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>How <c>LogMelSpectrogram</c> rescales each row's log band energies after the log.</summary>
/// <remarks>Per-utterance normalisation works band by band over the row's frames. Subtracting the mean removes what is
/// constant over the row in the log domain: the overall level and any fixed spectral tilt or colouring (a microphone,
/// a channel, part of a speaker's voice quality). Dividing by the standard deviation also evens out the bands' ranges.</remarks>
public enum SpectrogramNormalization
{
    /// <summary>The log energies as computed.</summary>
    None,

    /// <summary>Each band minus its mean over the row's frames.</summary>
    UtteranceMean,

    /// <summary>Each band minus its mean over the row's frames, divided by its standard deviation over them (population
    /// form; a deviation below 1e-5 counts as 1e-5, so a constant band becomes 0).</summary>
    UtteranceMeanVariance,
}
