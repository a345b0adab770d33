namespace Microsoft.ML.Sequence.Data.Audio;

/// <summary>The taper applied to each frame before its Fourier transform (periodic forms, as for spectral analysis).</summary>
public enum SpectrogramWindow
{
    /// <summary>Hann: 0.5 − 0.5 cos(2πn/N). The usual choice for speech features.</summary>
    Hann,

    /// <summary>Hamming: 0.54 − 0.46 cos(2πn/N).</summary>
    Hamming,

    /// <summary>Blackman: 0.42 − 0.5 cos(2πn/N) + 0.08 cos(4πn/N); lower side lobes, wider main lobe.</summary>
    Blackman,

    /// <summary>No taper (all ones).</summary>
    Rectangular,
}
